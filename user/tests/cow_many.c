/* Many tasks resolving copy-on-write faults at the same time. */
#include <stdio.h>
#include <syscall.h>
static volatile char data[16 * 4096] = { 1 };
int main(void)
{
    int n = 0, st;
    unsigned start = get_ticks() + 100;
    for (int i = 0; i < 20; i++) {
        int pid = fork();
        if (pid == 0) {
            while (get_ticks() < start)
                yield(-1);
            for (int p = 0; p < 16; p++)
                data[p * 4096] = (char)p;  /* a COW copy per page */
            task_vanish(0);
        }
        n += pid > 0;
    }
    for (int i = 0; i < n; i++)
        wait(&st);
    printf("cow_many: %d children done\n", n);
    return 0;
}
