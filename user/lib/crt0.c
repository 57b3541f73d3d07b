/*
 * crt0.c - where every program starts (built as crt0.o, linked first).
 *
 * The kernel enters _main in user mode as if it had been called (doc/syscalls.md
 * section 12): %esp points at a return address, with argc, argv, stack_high
 * and stack_low above it. argv and its strings live in the stack region.
 * _main must never return: there is nothing sensible to return to.
 */
#include <stdlib.h>

int main(int argc, char *argv[]);

/* Kept for programs and tests that want to know where they started. */
void *_stack_high_initial;
void *_stack_low_initial;

void _main(int argc, char *argv[], void *stack_high, void *stack_low)
{
    _stack_high_initial = stack_high;
    _stack_low_initial = stack_low;

    /* If this fails the program still runs, only without stack growth. */
    install_autostack(stack_high, stack_low);

    exit(main(argc, argv));
}
