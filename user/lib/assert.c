/*
 * assert.c - what a failed assert() does.
 */
#include <assert.h>
#include <stdio.h>
#include <syscall.h>

void _assert_fail(const char *file, int line, const char *expr)
{
    printf("%s:%d: assertion failed: %s\n", file, line, expr);
    task_vanish(-1);
    for (;;)                            /* task_vanish does not return */
        continue;
}
