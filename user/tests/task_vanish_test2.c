/*
 * task_vanish_test2 - task_vanish ends every thread of the task, wherever it is.
 *
 * A child task sets status 5, forks a grandchild (which stays alive), then starts threads
 * that are: sleeping, descheduled, blocked in wait for the grandchild, printing in a loop,
 * and spinning in user mode. Once they all are where they should be, one thread calls
 * task_vanish. The parent's wait must return that status (not 5), and every frame must come
 * back (the grandchild, handed to init, ends as soon as the child task's first thread is
 * gone). A thread the kernel failed to end would keep the child task from ever exiting.
 *
 * Two rounds: in the first the first thread calls task_vanish while another waits; in the
 * second the first thread is the one blocked in wait and a spawned thread calls task_vanish.
 */
#include <stdio.h>
#include <stdlib.h>
#include <syscall.h>
#include <thread_spawn.h>
#include "testlib.h"

#define STACK_SIZE      (8 * 1024)
#define E_SRCH          (-8)
#define E_STATE         (-9)
#define LINES_BEFORE    10              /* the printer prints this much before the kill */
#define POLL_TICKS      2               /* the grandchild's look at the child's main thread */
#define FRAMES_WAIT     1000            /* ticks to wait for every frame to come back */

enum { SLEEPER, DESCHEDULED, WAITER, PRINTER, SPINNER, KILLER, NTHREADS };

static char stacks[NTHREADS][STACK_SIZE] __attribute__((aligned(16)));
static volatile int tids[NTHREADS];
static volatile int lines, spins;
static int zero;
static int round_status;                /* what task_vanish uses this round */

static void sleeper(void *arg) { (void)arg; sleep(1000000); }
static void descheduled(void *arg) { (void)arg; deschedule(&zero); }
static void waiter(void *arg) { (void)arg; wait(NULL); }

static void printer(void *arg)
{
    (void)arg;
    for (;;) {
        printf("task_vanish_test2: printing line %d\n", lines);
        lines++;
    }
}

static void spinner(void *arg)
{
    (void)arg;
    for (;;)
        spins++;
}

/* Returns once `tid` is blocked (sleeping, descheduled, waiting). */
static void wait_blocked(int tid)
{
    while (yield(tid) != E_STATE)
        yield(-1);
}

/* When everyone is in place: task_vanish. `waiting` is the thread blocked in wait. */
static void kill_all(int waiting)
{
    wait_blocked(tids[SLEEPER]);
    wait_blocked(tids[DESCHEDULED]);
    wait_blocked(waiting);
    while (lines < LINES_BEFORE || spins == 0)
        yield(-1);
    printf("task_vanish_test2: calling task_vanish(%d)\n", round_status);
    task_vanish(round_status);
    printf("task_vanish_test2: FAILED: task_vanish returned\n");
    exit(99);
}

static void killer(void *arg)
{
    (void)arg;
    kill_all(tids[0]);
}

/* The grandchild: lives until the child's first thread is gone, then exits. */
static void grandchild(int child_main)
{
    while (yield(child_main) != E_SRCH)
        sleep(POLL_TICKS);
    exit(0);
}

static void spawn(int which, void (*fn)(void *))
{
    tids[which] = thread_spawn(stacks[which] + STACK_SIZE, fn, NULL);
    if (tids[which] < 0) {
        printf("task_vanish_test2: FAILED: thread_spawn error %d\n", tids[which]);
        exit(98);
    }
}

/* The child task. In round 0 its first thread kills, in round 1 it waits. */
static void child_task(int round)
{
    int g;

    set_status(5);                      /* task_vanish's status must win over this */
    tids[0] = gettid();
    g = fork();
    if (g == 0)
        grandchild(tids[0]);
    if (g < 0)
        exit(97);
    spawn(SLEEPER, sleeper);
    spawn(DESCHEDULED, descheduled);
    spawn(PRINTER, printer);
    spawn(SPINNER, spinner);
    if (round == 0) {
        spawn(WAITER, waiter);
        kill_all(tids[WAITER]);
    }
    spawn(KILLER, killer);
    wait(NULL);
    printf("task_vanish_test2: FAILED: wait returned in a killed task\n");
    exit(96);
}

/* Waits until the free frames are back to `before`; returns how many are missing. */
static int frames_missing(int before)
{
    int i;

    for (i = 0; i < FRAMES_WAIT && free_frames() != before; i++)
        sleep(1);
    return before - free_frames();
}

int main(void)
{
    int round, child, tid, status, before;

    test_start("task_vanish_test2");
    for (round = 0; round < 2; round++) {
        round_status = 42 + round;
        before = free_frames();
        child = fork();
        if (child == 0)
            child_task(round);
        if (!CHECK(child > 0))
            break;
        status = 12345;
        tid = wait(&status);
        CHECK_INT(tid, child);
        CHECK_INT(status, round_status);
        CHECK_INT(frames_missing(before), 0);
        printf("task_vanish_test2: round %d: status %d\n", round, status);
    }
    return test_finish();
}
