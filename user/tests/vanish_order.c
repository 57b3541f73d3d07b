/*
 * vanish_order - a task ends when its last thread vanishes, whatever the order, and its
 * status is the last one set_status chose, even if the thread that set it is long gone.
 *
 * Each scenario runs in a child task of THREADS threads (the first one is "main"). The threads
 * vanish one at a time in the scenario's order: each waits until the one before it no longer
 * exists. One chosen thread calls set_status just before it vanishes; the parent's wait must
 * return that status. The child starts with set_status(-1), so a task that ended too early,
 * before the setter ran, shows -1 (or an earlier status) instead.
 */
#include <stdio.h>
#include <stdlib.h>
#include <syscall.h>
#include <thread_spawn.h>
#include "testlib.h"

#define THREADS         8
#define STACK_SIZE      (8 * 1024)
#define NO_SETTER       (-1)

struct scenario {
    const char *name;
    int order[THREADS];                 /* thread numbers (0 = main) in vanishing order */
    int setter;                         /* the thread that calls set_status, or NO_SETTER */
    int status;                         /* what it sets (and the parent expects) */
};

static const struct scenario scenarios[] = {
    { "main first, main sets",  { 0, 1, 2, 3, 4, 5, 6, 7 }, 0, 11 },
    { "main first, last sets",  { 0, 1, 2, 3, 4, 5, 6, 7 }, 7, 22 },
    { "main last, main sets",   { 1, 2, 3, 4, 5, 6, 7, 0 }, 0, 33 },
    { "main last, first sets",  { 7, 6, 5, 4, 3, 2, 1, 0 }, 7, -44 },
    { "mixed, middle sets",     { 5, 2, 7, 0, 3, 6, 1, 4 }, 3, 55 },
    { "mixed, nobody sets",     { 3, 0, 6, 1, 4, 7, 2, 5 }, NO_SETTER, 0 },
};
#define SCENARIOS ((int)(sizeof scenarios / sizeof scenarios[0]))

/* In the child task. */
static const struct scenario *sc;
static volatile int tids[THREADS];      /* all written before `go` is set */
static int rank_of[THREADS];            /* rank_of[thread] = its place in sc->order */
static volatile int go;
static char stacks[THREADS][STACK_SIZE] __attribute__((aligned(16)));

/* Thread `me` waits for its turn, sets the status if it is the setter, and vanishes. */
static void vanish_in_turn(int me)
{
    int rank = rank_of[me];

    if (rank > 0)
        thread_gone(tids[sc->order[rank - 1]]);
    if (me == sc->setter)
        set_status(sc->status);
    vanish();
    printf("vanish_order: FAILED: vanish returned\n");
}

static void thread_main(void *arg)
{
    while (!go)
        yield(-1);
    vanish_in_turn((int)arg);
}

static void child_main(const struct scenario *s)
{
    int i;

    sc = s;
    if (s->setter != NO_SETTER)
        set_status(-1);
    for (i = 0; i < THREADS; i++)
        rank_of[s->order[i]] = i;
    tids[0] = gettid();
    for (i = 1; i < THREADS; i++) {
        tids[i] = thread_spawn(stacks[i] + STACK_SIZE, thread_main, (void *)i);
        if (tids[i] < 0) {
            printf("vanish_order: FAILED: thread_spawn error %d\n", tids[i]);
            exit(-100);
        }
    }
    go = 1;
    vanish_in_turn(0);
    exit(-101);
}

int main(void)
{
    int i, child, tid, status;

    test_start("vanish_order");
    for (i = 0; i < SCENARIOS; i++) {
        child = fork();
        if (child == 0)
            child_main(&scenarios[i]);
        if (!CHECK(child > 0))
            break;
        status = 12345;
        tid = wait(&status);
        CHECK_INT(tid, child);
        if (status != scenarios[i].status)
            printf("vanish_order: FAILED: %s: status %d, expected %d\n", scenarios[i].name,
                   status, scenarios[i].status);
        CHECK_INT(status, scenarios[i].status);
    }
    return test_finish();
}
