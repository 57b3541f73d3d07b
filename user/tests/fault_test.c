/*
 * fault_test [wild|kernel|null|hypercall] - a bad access kills the program:
 * the kernel prints a "kernel: killed" line and the exit status is -2,
 * even though set_status chose another value before.
 *   wild       write to 0xdead0000 (user range, never mapped)   (the default)
 *   kernel     write to 0x00100000 (kernel memory)
 *   null       read from address 0
 *   hypercall  INT 0xDE, a guest's hypercall, from a program: a #GP like any INT
 *              without a gate
 */
#include <stdio.h>
#include <string.h>
#include <syscall.h>

/* Read through a volatile variable: a visible "*(int *)0" lets the compiler
 * assume the code is unreachable and replace it with a trap instruction. */
static volatile int *volatile null_pointer;

int main(int argc, char *argv[])
{
    const char *mode = argc > 1 ? argv[1] : "wild";

    set_status(1);
    printf("fault_test: %s access\n", mode);
    if (strcmp(mode, "kernel") == 0)
        *(volatile int *)0x00100000 = 1;
    else if (strcmp(mode, "null") == 0)
        set_status(*null_pointer);
    else if (strcmp(mode, "hypercall") == 0)
        __asm__ volatile("movl $0, %%eax; int $0xDE" : : : "eax", "memory");
    else
        *(volatile int *)0xdead0000 = 1;
    printf("fault_test: FAILED: survived the access\n");
    return 99;
}
