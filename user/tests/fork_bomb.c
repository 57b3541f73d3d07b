/*
 * fork_bomb - fork until the kernel says no, then undo it all.
 *
 * Phase 1, a chain: each task forks one child and waits for it; the child does the same, until
 * fork fails (or MAX_DEPTH is reached). The last task checks that the failure is -5 (no memory)
 * and that the kernel still answers, then every task exits with the number of tasks below it
 * plus one, so the first one learns how many were made.
 *
 * Phase 2, a fan: we fork children until fork fails; each child stops in deschedule() until we
 * make it runnable again, then exits with its index. All are collected.
 *
 * After each phase fork works again and the free frame count is back (init checks it exactly).
 */
#include <stdio.h>
#include <stdlib.h>
#include <syscall.h>
#include "testlib.h"

#define E_NOMEM         (-5)
#define MAX_DEPTH       3000    /* a cap in case the kernel never runs out */
#define MAX_FAN         3000
#define BROKEN          (-1000000)      /* a status no healthy chain produces */

static int fan_tids[MAX_FAN];

/* The bottom of the chain: fork has just failed with err. */
static int chain_bottom(int depth, int err)
{
    int again;

    printf("fork_bomb: chain: fork failed with %d at depth %d\n", err, depth);
    if (err != E_NOMEM && depth < MAX_DEPTH)
        return BROKEN;
    sleep(2);                           /* the kernel still schedules and wakes us */
    again = fork();                     /* still no memory: nothing was freed */
    if (again == 0)
        exit(0);
    if (again > 0) {
        wait(NULL);
        printf("fork_bomb: chain: a second fork at the bottom worked (%d)\n", again);
    }
    return 0;
}

/* Runs the chain from here down; returns the number of tasks made below us, or BROKEN. */
static int chain(void)
{
    int depth = 0, tid, status;

    for (;;) {
        tid = depth < MAX_DEPTH ? fork() : E_NOMEM;
        if (tid == 0) {
            depth++;
            continue;
        }
        if (tid < 0)
            status = chain_bottom(depth, tid);
        else if (wait(&status) != tid)
            status = BROKEN;
        else if (status >= 0)
            status++;
        if (depth == 0)
            return status;
        exit(status);
    }
}

static void fan_child(void)
{
    int reject = 0;

    deschedule(&reject);
    exit(0);
}

/* Wakes a fan child; it may not have reached deschedule yet, so let it run and retry. */
static int fan_wake(int tid)
{
    int tries, r = -1;

    for (tries = 0; tries < 1000 && (r = make_runnable(tid)) < 0; tries++)
        yield(-1);
    return r;
}

static void fan(void)
{
    int n, tid, i, collected = 0;

    for (n = 0; n < MAX_FAN; n++) {
        tid = fork();
        if (tid == 0)
            fan_child();
        if (tid < 0)
            break;
        fan_tids[n] = tid;
    }
    printf("fork_bomb: fan: %d children, then fork returned %d\n", n, tid);
    CHECK(n == MAX_FAN || tid == E_NOMEM);
    for (i = 0; i < n; i++)
        CHECK_INT(fan_wake(fan_tids[i]), 0);
    while ((tid = wait(NULL)) > 0)
        collected++;
    CHECK_INT(collected, n);
    CHECK_INT(tid, -7);
    printf("fork_bomb: fan: collected %d\n", collected);
}

/* After a phase: fork works again and the frames came back. */
static void check_recovered(const char *phase, int frames_before)
{
    int tid = fork(), status = -1, after;

    if (tid == 0)
        exit(5);
    CHECK(tid > 0);
    CHECK_INT(wait(&status), tid);
    CHECK_INT(status, 5);
    after = free_frames();
    /* Our own copy-on-write breaks may keep a few frames: allow a little. */
    CHECK(after >= frames_before - 8 && after <= frames_before + 8);
    printf("fork_bomb: %s: fork works again; free frames %d before, %d after\n", phase,
           frames_before, after);
}

int main(void)
{
    int before, made;

    test_start("fork_bomb");
    before = free_frames();
    made = chain();
    printf("fork_bomb: chain: %d tasks created\n", made);
    CHECK(made > 10);
    check_recovered("chain", before);
    before = free_frames();
    fan();
    check_recovered("fan", before);
    return test_finish();
}
