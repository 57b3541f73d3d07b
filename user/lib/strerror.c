/*
 * strerror - the kernel's error codes in words (doc/syscalls.md 2 lists them).
 *
 * The codes are small negative numbers in order, so the table is indexed by -err.
 */
#include <string.h>

static const char *const error_words[] = {
    "no error",                         /*   0 */
    "not implemented",                  /*  -1 E_NOSYS */
    "bad argument",                     /*  -2 E_INVAL */
    "bad pointer",                      /*  -3 E_FAULT */
    "no such file",                     /*  -4 E_NOENT */
    "out of memory",                    /*  -5 E_NOMEM */
    "not an executable",                /*  -6 E_NOEXEC */
    "no child to wait for",             /*  -7 E_CHILD */
    "no such thread",                   /*  -8 E_SRCH */
    "thread not in the right state",    /*  -9 E_STATE */
    "disk or file-system error",        /* -10 E_IO */
    "arguments too big",                /* -11 E_2BIG */
    "the task has other threads",       /* -12 E_BUSY */
};

const char *strerror(int err)
{
    if (err <= 0 && err > -(int)(sizeof error_words / sizeof error_words[0]))
        return error_words[-err];
    return "unknown error";
}
