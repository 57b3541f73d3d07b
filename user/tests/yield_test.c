/*
 * yield_test - yield(tid) for every kind of target.
 *
 *   yield(own tid)            0 (the caller is running: a no-op)
 *   yield(-1)                 0
 *   yield(runnable thread)    0, and (nearly always) that thread runs before the caller
 *   yield(descheduled)        error -9 (not runnable)
 *   yield(sleeping thread)    error -9
 *   yield(thread in wait)     error -9 (blocked in a system call)
 *   yield(no such tid)        error -8, also for tid 0, -2 and a thread that has vanished
 */
#include <stdio.h>
#include <stdlib.h>
#include <syscall.h>
#include <thread_spawn.h>
#include "testlib.h"

#define STACK_SIZE      (8 * 1024)
#define E_SRCH          (-8)            /* no such thread */
#define E_STATE         (-9)            /* not runnable */
#define SLEEP_TICKS     1000            /* longer than the test; task_vanish ends it */
#define YIELD_TRIES     100             /* yields to the runnable spinner */
#define CHILD_TICKS     100             /* how long the child lets its waiter wait */

static char stacks[4][STACK_SIZE] __attribute__((aligned(16)));
static volatile int counter;            /* bumped by the spinner */
static volatile int desched_ready, sleeper_ready, spinner_ready, waiter_ready;
static volatile int waited_tid, waited_status = -1;
static int never;                       /* the descheduled thread's reject: stays 0 */

/* Stays descheduled until the main thread makes it runnable; then vanishes. */
static void descheduled_main(void *arg)
{
    (void)arg;
    desched_ready = 1;
    deschedule(&never);
}

static void sleeper_main(void *arg)
{
    (void)arg;
    sleeper_ready = 1;
    sleep(SLEEP_TICKS);
}

/* Blocks in wait until the child exits. */
static void waiter_main(void *arg)
{
    int status;

    (void)arg;
    waiter_ready = 1;
    waited_tid = wait(&status);
    waited_status = status;
}

/* Always runnable: counts how often it got the CPU, giving it back each time. */
static void spinner_main(void *arg)
{
    (void)arg;
    spinner_ready = 1;
    for (;;) {
        counter++;
        yield(-1);
    }
}

/* Waits until *flag is set and the thread `tid` has stopped running: returns E_STATE once
 * it is blocked, or E_SRCH if it has already vanished (then the test says so, not hangs). */
static int wait_blocked(volatile int *flag, int tid)
{
    int r = 0;

    while (!*flag || ((r = yield(tid)) != E_STATE && r != E_SRCH))
        yield(-1);
    return r;
}

/*
 * yield to a runnable thread: it must have run when our yield returns. Not every time: a
 * timer tick that arrives while we are in yield, or while it returns from its own, preempts
 * it before it reaches user mode (the kernel did run it next). So most of the time.
 */
static void check_yield_to_runnable(int spinner)
{
    int i, before, ran = 0;

    while (!spinner_ready)
        yield(-1);
    for (i = 0; i < YIELD_TRIES; i++) {
        before = counter;
        CHECK_INT(yield(spinner), 0);
        ran += counter != before;
    }
    if (ran < YIELD_TRIES * 9 / 10)
        printf("yield_test: FAILED: the target ran after only %d of %d yields\n", ran,
               YIELD_TRIES);
    CHECK(ran >= YIELD_TRIES * 9 / 10);
}

int main(void)
{
    int me = gettid(), desched, sleeper, spinner, waiter, child;

    test_start("yield_test");
    CHECK_INT(yield(me), 0);
    CHECK_INT(yield(-1), 0);
    CHECK_INT(yield(0x7ffffff0), E_SRCH);
    CHECK_INT(yield(0), E_SRCH);
    CHECK_INT(yield(-2), E_SRCH);

    child = fork();                     /* before the threads: fork needs a lone thread */
    if (child == 0) {
        sleep(CHILD_TICKS);
        exit(7);
    }
    CHECK(child > 0);
    waiter = thread_spawn(stacks[3] + STACK_SIZE, waiter_main, NULL);
    desched = thread_spawn(stacks[0] + STACK_SIZE, descheduled_main, NULL);
    sleeper = thread_spawn(stacks[1] + STACK_SIZE, sleeper_main, NULL);
    spinner = thread_spawn(stacks[2] + STACK_SIZE, spinner_main, NULL);
    if (!CHECK(desched > 0 && sleeper > 0 && spinner > 0 && waiter > 0))
        return test_finish();
    CHECK_INT(wait_blocked(&waiter_ready, waiter), E_STATE);
    CHECK_INT(yield(waiter), E_STATE);
    CHECK_INT(wait_blocked(&desched_ready, desched), E_STATE);
    CHECK_INT(wait_blocked(&sleeper_ready, sleeper), E_STATE);
    CHECK_INT(yield(desched), E_STATE);
    CHECK_INT(yield(sleeper), E_STATE);
    check_yield_to_runnable(spinner);
    CHECK_INT(yield(me), 0);

    /* A thread that has vanished no longer exists. */
    CHECK_INT(make_runnable(desched), 0);
    thread_gone(desched);
    CHECK_INT(yield(desched), E_SRCH);

    /* The waiter wakes when the child exits, then vanishes. */
    thread_gone(waiter);
    CHECK_INT(waited_tid, child);
    CHECK_INT(waited_status, 7);
    return test_finish();               /* exit: task_vanish ends the sleeper and spinner */
}
