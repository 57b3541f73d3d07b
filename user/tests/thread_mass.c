/*
 * thread_mass - many tasks, many threads: TASKS tasks of THREADS threads each, created and
 * reaped, BATCH tasks at a time.
 *
 * Each child task maps THREADS one-page stacks with new_pages and starts THREADS threads with
 * thread_spawn; then its first thread vanishes. Every thread adds one to a counter; the one
 * that completes the count sets the task's status to STATUS_BASE + the task's number, and the
 * task ends when its last thread vanishes. The parent waits for the tasks and checks every
 * status, so a task that lost a thread, or ended early or never, is noticed. init reports any
 * frame not given back.
 *
 * When memory is short thread_spawn or fork fails (the kernel may still be freeing the stacks
 * of dead threads): the task yields and tries again, up to SPAWN_TRIES times; the parent
 * collects a child first. Both are retried only so often, then the test fails.
 */
#include <stdio.h>
#include <stdlib.h>
#include <syscall.h>
#include <thread_spawn.h>
#include "testlib.h"

#define TASKS           128
#define THREADS         64              /* per task, the first one included */
#define BATCH           16              /* tasks alive at once */
#define STACKS_BASE     ((char *)0x20000000)
#define STACK_SIZE      PAGE_SIZE       /* the threads only count */
#define STATUS_BASE     1000
#define SPAWN_TRIES     1000
#define FORK_FAILURES_MAX 1000
#define STATUS_NO_MEMORY (-5)

static volatile int counted;            /* in each child: threads that have run */
static int task_number;                 /* in each child: which task it is */

/* One of a child task's threads: counts itself; the last to count sets the status. */
static void counting_thread(void *arg)
{
    (void)arg;
    if (atomic_add(&counted, 1) == THREADS - 2)         /* the first thread does not count */
        set_status(STATUS_BASE + task_number);
}

/* thread_spawn, retried while memory is short. Returns the tid or the last error. */
static int spawn_retrying(char *stack_top)
{
    int tid, tries;

    for (tries = 0; tries < SPAWN_TRIES; tries++) {
        tid = thread_spawn(stack_top, counting_thread, NULL);
        if (tid > 0)
            return tid;
        yield(-1);
    }
    return tid;
}

/* A child task: THREADS - 1 more threads, then the first vanishes. */
static void child_main(int number)
{
    int i, err;

    task_number = number;
    set_status(-1);                     /* unless the last thread says otherwise */
    err = new_pages(STACKS_BASE, THREADS * STACK_SIZE);
    if (err < 0) {
        printf("thread_mass: task %d: new_pages error %d\n", number, err);
        exit(STATUS_NO_MEMORY);
    }
    for (i = 1; i < THREADS; i++) {
        err = spawn_retrying(STACKS_BASE + (i + 1) * STACK_SIZE);
        if (err < 0) {
            printf("thread_mass: task %d: thread %d: thread_spawn error %d\n", number, i, err);
            exit(STATUS_NO_MEMORY);
        }
    }
    vanish();
    printf("thread_mass: FAILED: vanish returned\n");
    exit(2);
}

/* Collects one child, checks its status against the task number of its tid. */
static void reap_one(const int *tids, int started)
{
    int tid, status, n;

    tid = wait(&status);
    if (!CHECK(tid > 0))
        exit(1);                        /* a child was lost: nothing sensible to go on with */
    for (n = 0; n < started && tids[n] != tid; n++)
        continue;
    if (!CHECK(n < started))
        return;
    if (status != STATUS_BASE + n)
        printf("thread_mass: FAILED: task %d ended with status %d\n", n, status);
    CHECK_INT(status, STATUS_BASE + n);
}

/*
 * Starts the tasks, keeping at most BATCH alive. A fork that fails for lack of memory is
 * retried after a child has been collected (or after a tick, if none is left).
 */
static int run_tasks(void)
{
    static int tids[TASKS];
    int started = 0, alive = 0, fork_failures = 0, tid;

    while (started < TASKS || alive > 0) {
        if (started < TASKS && alive < BATCH) {
            tid = fork();
            if (tid == 0)
                child_main(started);
            if (tid > 0) {
                tids[started++] = tid;
                alive++;
                continue;
            }
            if (!CHECK(++fork_failures < FORK_FAILURES_MAX))
                exit(1);
            if (alive == 0) {
                sleep(1);
                continue;
            }
        }
        reap_one(tids, started);
        alive--;
    }
    return fork_failures;
}

int main(void)
{
    int fork_failures;

    test_start("thread_mass");
    fork_failures = run_tasks();
    CHECK_ERROR(wait(NULL));            /* nothing left over */
    printf("thread_mass: %d tasks x %d threads; fork failed %d times\n", TASKS, THREADS,
           fork_failures);
    return test_finish();
}
