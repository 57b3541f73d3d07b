/*
 * panic.c - panic(): the end of a task that found itself in an impossible state.
 */
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <syscall.h>

/*
 * Formats into a buffer on the caller's stack (a thread's stack may be small: 256 bytes
 * is enough for a line) and prints it in one piece, so it is not mixed with other output.
 * Then every thread of the task ends, with status -2 as for a crash.
 */
void panic(const char *fmt, ...)
{
    char line[256];
    va_list ap;
    int n = snprintf(line, sizeof line - 1, "panic: ");

    va_start(ap, fmt);
    n += vsnprintf(line + n, sizeof line - 1 - (size_t)n, fmt, ap);
    va_end(ap);
    if (n > (int)sizeof line - 2)
        n = (int)sizeof line - 2;       /* cut to fit; the newline still goes on */
    line[n++] = '\n';
    print(n, line);
    task_vanish(-2);
    for (;;)                            /* task_vanish does not return */
        continue;
}
