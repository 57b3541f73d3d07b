/*
 * args_test [ARGS...] - what the kernel passes to _main: argc and argv
 * (printed, to compare with the run: line), argv[argc] == NULL, and the
 * argv array and strings lying inside the initial stack region
 * [stack_low, stack_high] that crt0 recorded.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include "testlib.h"

static int in_stack(const void *first, size_t len)
{
    uintptr_t a = (uintptr_t)first;
    uintptr_t low = (uintptr_t)_stack_low_initial;
    uintptr_t high = (uintptr_t)_stack_high_initial;

    return a >= low && a <= high && len <= high - a + 1;
}

int main(int argc, char *argv[])
{
    int local = 0;
    int i;

    test_start("args_test");
    printf("args_test: argc=%d\n", argc);
    for (i = 0; i < argc; i++)
        printf("args_test: argv[%d]=%s\n", i, argv[i]);

    CHECK(argc >= 1);
    CHECK(argv[argc] == NULL);
    CHECK_STR(argv[0], "args_test");
    CHECK((uintptr_t)_stack_low_initial < (uintptr_t)_stack_high_initial);
    CHECK(in_stack(&local, sizeof local));      /* we run on that stack */
    CHECK(in_stack(argv, (argc + 1) * sizeof argv[0]));
    for (i = 0; i < argc; i++) {
        if (!CHECK(in_stack(argv[i], strlen(argv[i]) + 1)))
            printf("args_test: argv[%d] at %p, stack [%p, %p]\n", i, argv[i],
                   _stack_low_initial, _stack_high_initial);
    }
    return test_finish();
}
