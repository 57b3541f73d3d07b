/*
 * vanish_race - after task_vanish(status) no other thread of the task runs another system
 * call, and no thread started meanwhile runs at all.
 *
 * Each round forks a child with a sibling thread that loops on set_status(7) (and a third
 * that keeps making threads with thread_fork). The child's main thread calls task_vanish(5).
 * A sibling that was runnable at that moment used to go back to user mode and run one more
 * set_status(7) in full, so the parent's wait saw 7 (14 rounds of 20, once). The status must
 * be 5 every time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <syscall.h>
#include <thread_spawn.h>

#define ROUNDS 20

static char stack_a[4096] __attribute__((aligned(16)));
static char stack_b[4096] __attribute__((aligned(16)));
static char stack_c[4096] __attribute__((aligned(16)));

static void set_status_forever(void *arg)
{
    (void)arg;
    for (;;)
        set_status(7);
}

/* Keeps starting threads that would set the status at once. */
static void spawn_forever(void *arg)
{
    (void)arg;
    for (;;) {
        thread_spawn(stack_c + sizeof stack_c, set_status_forever, NULL);
        yield(-1);
    }
}

static void child(void)
{
    thread_spawn(stack_a + sizeof stack_a, set_status_forever, NULL);
    thread_spawn(stack_b + sizeof stack_b, spawn_forever, NULL);
    yield(-1);
    yield(-1);
    task_vanish(5);
}

int main(void)
{
    int bad = 0;

    for (int i = 0; i < ROUNDS; i++) {
        int status = 0, pid = fork();
        if (pid == 0)
            child();
        if (pid < 0 || wait(&status) != pid || status != 5) {
            printf("vanish_race: round %d: status %d, expected 5\n", i, status);
            bad++;
        }
    }
    if (bad) {
        printf("vanish_race: FAILED in %d of %d rounds\n", bad, ROUNDS);
        return 1;
    }
    printf("vanish_race: ok\n");
    return 0;
}
