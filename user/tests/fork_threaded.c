/*
 * fork_threaded - fork and exec refuse a task with more than one thread (error -12), change
 * nothing when they do, and work again once the task is down to one thread.
 *
 *   with a second thread running, sleeping or descheduled:  fork() == -12, exec() == -12,
 *       no child appears (wait fails at once), the other thread is unharmed;
 *   once it has vanished: fork works; in the child, after its own extra thread has come
 *       and gone, exec("exit_test") works (status 3).
 */
#include <stdio.h>
#include <stdlib.h>
#include <syscall.h>
#include <thread_spawn.h>
#include "testlib.h"

#define STACK_SIZE      (8 * 1024)
#define E_BUSY          (-12)           /* the task has other threads */
#define E_STATE         (-9)

static char stack[STACK_SIZE] __attribute__((aligned(16)));
static volatile int mode;               /* what the other thread does: see other_main */
static volatile int spins;
static int zero;
static char *exit_test_argv[] = { "exit_test", NULL };

enum { SPIN, SLEEP, DESCHEDULE, LEAVE };

/* The second thread: spins, sleeps or deschedules as `mode` says, until LEAVE. */
static void other_main(void *arg)
{
    (void)arg;
    while (mode != LEAVE) {
        if (mode == SLEEP)
            sleep(1);
        else if (mode == DESCHEDULE)
            deschedule(&zero);
        else
            spins++;
    }
}

/* fork and exec, with the second thread doing `what`. */
static void check_refused(int what, int other)
{
    int before;

    mode = what;
    if (what != SPIN)
        while (yield(other) != E_STATE)         /* let it get to its sleep / deschedule */
            yield(-1);
    CHECK_INT(fork(), E_BUSY);
    CHECK_INT(exec("exit_test", exit_test_argv), E_BUSY);
    CHECK_ERROR(wait(NULL));                    /* no child was made */
    mode = SPIN;
    if (what == DESCHEDULE)
        CHECK_INT(make_runnable(other), 0);
    before = spins;
    while (spins == before)                     /* the other thread still runs */
        yield(other);
}

/* The child: one thread more, exec refused; alone again, exec works. */
static void child_main(void)
{
    int other;

    mode = SPIN;
    other = thread_spawn(stack + STACK_SIZE, other_main, NULL);
    if (other < 0)
        exit(100);
    if (exec("exit_test", exit_test_argv) != E_BUSY)
        exit(101);
    mode = LEAVE;
    thread_gone(other);
    exec("exit_test", exit_test_argv);
    exit(102);
}

int main(void)
{
    int other, child, status = -1;

    test_start("fork_threaded");
    other = thread_spawn(stack + STACK_SIZE, other_main, NULL);
    if (!CHECK(other > 0))
        return test_finish();
    check_refused(SPIN, other);
    check_refused(SLEEP, other);
    check_refused(DESCHEDULE, other);
    mode = LEAVE;
    thread_gone(other);

    child = fork();
    if (child == 0)
        child_main();
    if (CHECK(child > 0)) {
        CHECK_INT(wait(&status), child);
        CHECK_INT(status, 3);
    }
    return test_finish();
}
