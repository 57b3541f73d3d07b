/*
 * lprintf.c - lprintf(): one line to the kernel's debug log (simics.h).
 */
#include <simics.h>
#include <stdarg.h>
#include <stdio.h>
#include <syscall.h>

/* Formats on the caller's stack and hands the line to log_print (INT 0x81), which writes
 * it to port 0xE9 and COM1 but not to the screen. A newline is added; long lines are cut. */
void lprintf(const char *fmt, ...)
{
    char line[256];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(line, sizeof line - 1, fmt, ap);
    va_end(ap);
    if (n > (int)sizeof line - 2)
        n = (int)sizeof line - 2;
    line[n++] = '\n';
    log_print(n, line);
}
