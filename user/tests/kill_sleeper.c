/* task_vanish while another thread is between sys_sleep's killed check and its sleep. */
#include <stdio.h>
#include <syscall.h>
#include <thread_spawn.h>
static volatile int ready;
static char stack[8192] __attribute__((aligned(16)));
static void sleeper(void *arg)
{
    (void)arg;
    ready = 1;
    sleep(1000000000);                  /* ~4 months at 100 Hz */
}
int main(void)
{
    int pid = fork(), st;
    if (pid == 0) {
        thread_spawn(stack + sizeof stack, sleeper, 0);
        while (!ready)
            yield(-1);

        task_vanish(7);
    }
    printf("kill_sleeper: wait -> %d\n", wait(&st));
    printf("kill_sleeper: status %d\n", st);
    return 0;
}
