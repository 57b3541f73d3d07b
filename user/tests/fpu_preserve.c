/* x87 state across a preemption: another task runs fninit meanwhile. */
#include <stdio.h>
#include <syscall.h>
int main(void)
{
    int pid = fork(), st;
    if (pid == 0) {
        unsigned t0 = get_ticks();
        while (get_ticks() - t0 < 50)
            __asm__ volatile("fninit");
        task_vanish(0);
    }
    double pi = 0;
    unsigned t0 = get_ticks();
    __asm__ volatile("fldpi");
    while (get_ticks() - t0 < 20)       /* spans several preemptions */
        ;
    __asm__ volatile("fstpl %0" : "=m"(pi));
    wait(&st);
    int ok = pi > 3.14 && pi < 3.15;
    printf("fpu_preserve: st(0) after preemption %s\n", ok ? "kept" : "LOST");
    return !ok;
}
