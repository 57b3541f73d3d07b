/*
 * fork_many - 40 children alive at once. Child i sleeps a few ticks (so they end in a mixed
 * order, some while others are still being forked) and exits with status 1000 + i. The parent
 * collects all 40 and checks that every tid comes back exactly once, with its own child's
 * status, and that a 41st wait fails.
 */
#include <stdio.h>
#include <stdlib.h>
#include <syscall.h>
#include "testlib.h"

#define CHILDREN        40
#define STATUS_BASE     1000

static int tids[CHILDREN];
static int collected[CHILDREN];

static void child(int i)
{
    sleep(1 + (i * 7) % 13);            /* 1..13 ticks, not in fork order */
    exit(STATUS_BASE + i);
}

/* Index of the child with this tid, or -1. */
static int index_of(int tid)
{
    int i;

    for (i = 0; i < CHILDREN; i++)
        if (tids[i] == tid)
            return i;
    return -1;
}

static int fork_all(void)
{
    int i, made = 0;

    for (i = 0; i < CHILDREN; i++) {
        tids[i] = fork();
        if (tids[i] == 0)
            child(i);
        if (!CHECK(tids[i] > 0))
            printf("fork_many: fork %d failed: %d\n", i, tids[i]);
        else
            made++;
    }
    printf("fork_many: forked %d children\n", made);
    return made;
}

static void collect_all(int made)
{
    int n, status, tid, i;

    for (n = 0; n < made; n++) {
        tid = wait(&status);
        i = index_of(tid);
        if (!CHECK(i >= 0)) {
            printf("fork_many: wait returned %d, not one of ours\n", tid);
            continue;
        }
        if (!CHECK(!collected[i]))
            printf("fork_many: child %d (tid %d) collected twice\n", i, tid);
        collected[i] = 1;
        if (status != STATUS_BASE + i)
            printf("fork_many: FAILED: child %d (tid %d) status %d, expected %d\n", i, tid,
                   status, STATUS_BASE + i);
        CHECK_INT(status, STATUS_BASE + i);
    }
    CHECK_INT(wait(&status), -7);
    printf("fork_many: collected %d children\n", n);
}

/* No two live children share a tid, and none has ours. */
static void check_unique(void)
{
    int i, j;

    for (i = 0; i < CHILDREN; i++) {
        CHECK(tids[i] != gettid());
        for (j = i + 1; j < CHILDREN; j++)
            CHECK(tids[i] != tids[j] || tids[i] < 0);
    }
}

int main(void)
{
    int made;

    test_start("fork_many");
    made = fork_all();
    check_unique();
    collect_all(made);
    return test_finish();
}
