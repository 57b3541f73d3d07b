/*
 * syscall.h - the Pebbles system calls (SPEC.md section 2).
 *
 * Each function is a small stub in user/lib/syscalls.asm that loads its
 * arguments as the kernel expects and executes "int n". A negative result
 * is an error. The prototypes are part of the interface: keep them exact.
 */
#ifndef _SYSCALL_H
#define _SYSCALL_H

#include <ureg.h>

#define PAGE_SIZE 0x1000

/* Console colours for set_term_color(): one foreground | one background. */
#define FGND_BLACK      0x0
#define FGND_BLUE       0x1
#define FGND_GREEN      0x2
#define FGND_CYAN       0x3
#define FGND_RED        0x4
#define FGND_MAG        0x5
#define FGND_BRWN       0x6
#define FGND_LGRAY      0x7
#define FGND_DGRAY      0x8
#define FGND_BBLUE      0x9
#define FGND_BGRN       0xA
#define FGND_BCYAN      0xB
#define FGND_PINK       0xC
#define FGND_BMAG       0xD
#define FGND_YLLW       0xE
#define FGND_WHITE      0xF

#define BGND_BLACK      0x00
#define BGND_BLUE       0x10
#define BGND_GREEN      0x20
#define BGND_CYAN       0x30
#define BGND_RED        0x40
#define BGND_MAG        0x50
#define BGND_BRWN       0x60
#define BGND_LGRAY      0x70

/* A swexn handler is entered as if called as handler(arg, ureg). */
typedef void (*swexn_handler_t)(void *arg, ureg_t *ureg);

/* Tasks and threads. (thread_fork, int 0x52, has no C prototype: a C function
 * cannot return twice on one stack, so only assembly thread libraries use it.) */
int fork(void);
int exec(char *execname, char *argvec[]);
void set_status(int status);
void vanish(void);                      /* does not return */
void task_vanish(int status);           /* does not return */
int wait(int *status_ptr);
int gettid(void);
int yield(int tid);
int deschedule(int *reject);
int make_runnable(int tid);
unsigned int get_ticks(void);
int sleep(int ticks);
void misbehave(int mode);

/* Memory. */
int new_pages(void *base, int len);
int remove_pages(void *base);

/*
 * Special characters getchar() returns besides ASCII (Enter '\n', Backspace '\b', Tab '\t',
 * Esc 0x1B, Ctrl+letter 1..26, Delete 0x7F). Keys without a code (F-keys, Home...) give nothing.
 */
#define KEY_UP          0x81
#define KEY_LEFT        0x82
#define KEY_DOWN        0x83
#define KEY_RIGHT       0x84
#define KEY_ESC         0x1B
#define KEY_DELETE      0x7F
#define KEY_CTRL(c)     ((c) & 0x1F)    /* KEY_CTRL('c') == 3: Ctrl+C is an ordinary character */

/* Console. */
int new_console(void);                  /* SPEC.md 12: moves the caller onto a new console */
int getchar(void);
int readline(int len, char *buf);
int print(int len, char *buf);
int set_term_color(int color);
int set_cursor_pos(int row, int col);
int get_cursor_pos(int *row, int *col);

/* Files and the machine. */
int readfile(char *filename, char *buf, int count, int offset);
void halt(void);                        /* does not return */

/* Exceptions. */
int swexn(void *esp3, swexn_handler_t eip, void *arg, ureg_t *newureg);

/* Extensions of this kernel (INT 0x80-0x8F; not part of Pebbles). */
int free_frames(void);                  /* 0x80: free physical frames, user and kernel */

/*
 * The errors the calls return, in words (README "System calls" lists them): for messages
 * such as "cannot exec helo: no such file (-4)".
 */
static inline const char *error_name(int err)
{
    static const char *const names[] = {
        "no error", "not implemented", "bad argument", "bad pointer", "no such file",
        "out of memory", "not an executable", "no child to wait for", "no such thread",
        "thread not in the right state", "disk or file-system error", "arguments too big",
        "the task has other threads",
    };

    if (err <= 0 && err > -(int)(sizeof names / sizeof names[0]))
        return names[-err];
    return "unknown error";
}

/*
 * The "does not return" calls are deliberately not marked noreturn: if a
 * kernel under test does return from them, the program should go on visibly
 * rather than run off into whatever code the compiler placed next.
 */

#endif /* _SYSCALL_H */
