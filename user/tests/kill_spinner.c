/* task_vanish while another thread spins in user mode: it leaves at its next timer tick. */
#include <stdio.h>
#include <syscall.h>
#include <thread_spawn.h>
static volatile int ready;
static char stack[8192] __attribute__((aligned(16)));
static void spinner(void *arg)
{
    (void)arg;
    ready = 1;
    for (;;)
        ;
}
int main(void)
{
    int pid = fork(), st;
    if (pid == 0) {
        thread_spawn(stack + sizeof stack, spinner, 0);
        while (!ready)
            yield(-1);
        task_vanish(7);
    }
    printf("kill_spinner: wait -> %d\n", wait(&st));
    printf("kill_spinner: status %d\n", st);
    return 0;
}
