/*
 * kill_lock_wait - a task ended by task_vanish must end even when one of its threads was
 * waiting for a kernel mutex at that moment.
 *
 * Found by `fuzz 1000000 777` in Bochs: the run stopped with every thread blocked, one of
 * them killed but asleep for good in mutex_lock on a console's out_lock, whose owner was
 * NULL; its task never ended and the fuzzer's wait never returned. mutex_wait (kernel.c
 * section 17) took a free mutex only before its loop. A kill wakes the waiter and takes it
 * off the mutex's queue; when the holder unlocked before the waiter ran again, it found the
 * queue empty and left the mutex free, and the waiter, back in its loop, saw another owner
 * (none), blocked again, and nobody would ever hand it the mutex.
 *
 * Here each round is a child task with three threads: a printer holding its console's
 * out_lock most of the time (print), a colourer waiting for it (set_term_color), and the
 * first thread, which ends the task with task_vanish after a random pause. Should the bug
 * come back, a child never ends and the case times out (in Bochs within a few rounds).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include <thread_spawn.h>

#define ROUNDS      60
#define STACK       4096
#define LINE        160
#define PAUSE_MAX   200000              /* loop turns before task_vanish */

static char stacks[2][STACK] __attribute__((aligned(16)));
static char line[LINE];

static void printer(void *arg)
{
    (void)arg;
    for (;;)
        print(LINE, line);
}

static void colourer(void *arg)
{
    (void)arg;
    for (;;)
        set_term_color(FGND_LGRAY);
}

/* One round: both threads at work, then the task ends at a random moment. */
static void round_child(void)
{
    thread_spawn(stacks[0] + STACK, printer, NULL);
    thread_spawn(stacks[1] + STACK, colourer, NULL);
    for (volatile int n = rand() % PAUSE_MAX; n > 0; n--)
        ;
    task_vanish(7);
}

int main(void)
{
    int status, ended = 0;

    memset(line, '.', sizeof line);
    line[LINE - 1] = '\n';
    for (int r = 0; r < ROUNDS; r++) {
        srand((unsigned int)r * 7919u + 1);
        if (fork() == 0)
            round_child();
        if (wait(&status) > 0 && status == 7)
            ended++;
    }
    printf("kill_lock_wait: %d of %d tasks ended\n", ended, ROUNDS);
    return ended != ROUNDS;
}
