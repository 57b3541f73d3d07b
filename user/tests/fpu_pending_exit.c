/*
 * fpu_pending_exit - a program that ends with an x87 error pending must not bring the kernel
 * down.
 *
 * We unmask the x87 zero-divide exception and divide by zero with a non-waiting sequence, so
 * the error is only pending: the CPU raises it (#MF) at the next waiting x87 instruction.
 * Then a child exits (or faults, or is ended by task_vanish) with it still pending. The
 * kernel never saves a dying thread's FPU, so the next thread's FPU restore used to meet the
 * pending error in kernel mode: "KERNEL PANIC: x87 error in kernel mode" under Bochs (QEMU
 * does not check). The parent then checks it still runs, and that its own FPU works.
 */
#include <stdio.h>
#include <stdlib.h>
#include <syscall.h>

/* Leaves an unmasked zero-divide pending in the FPU, without raising it. */
static void leave_error_pending(void)
{
    unsigned short cw;
    static const double zero = 0.0, one = 1.0;

    __asm__ volatile("fnstcw %0" : "=m"(cw));
    cw &= (unsigned short)~0x0004;                      /* ZM = 0: zero-divide unmasked */
    __asm__ volatile("fldcw %0" : : "m"(cw));
    __asm__ volatile("fldl %0; fdivl %1" : : "m"(one), "m"(zero));   /* pending, not raised */
}

static int run_child(int how)
{
    int pid = fork(), status = 0;

    if (pid == 0) {
        leave_error_pending();
        if (how == 0)
            exit(5);                                    /* vanish with it pending */
        if (how == 1)
            *(volatile int *)0 = 1;                     /* a page fault: killed */
        task_vanish(6);
    }
    if (pid < 0 || wait(&status) != pid)
        return -100;
    return status;
}

int main(void)
{
    volatile double x = 3.0, y = 4.0;
    int s0 = run_child(0), s1 = run_child(1), s2 = run_child(2);

    printf("fpu_pending_exit: statuses %d %d %d\n", s0, s1, s2);
    if (s0 != 5 || s1 != -2 || s2 != 6 || x * y != 12.0) {
        printf("fpu_pending_exit: FAILED\n");
        return 1;
    }
    printf("fpu_pending_exit: ok\n");
    return 0;
}
