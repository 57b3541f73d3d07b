/*
 * fork_loop [ROUNDS] - fork, exit, wait, ROUNDS times (default 1000). Each child exits with a
 * status made from its round; the parent checks tid and status every round, that the free
 * frame count does not drift, and that no zombie is left over.
 */
#include <stdio.h>
#include <stdlib.h>
#include <syscall.h>
#include "testlib.h"

#define DEFAULT_ROUNDS  1000
#define REPORT_EVERY    100

/* One round; returns 0 if it went right. */
static int round_trip(int round)
{
    int status = -1, tid = fork(), got;

    if (tid == 0)
        exit(round * 3 + 1);
    if (tid < 0) {
        printf("fork_loop: FAILED: round %d: fork returned %d\n", round, tid);
        return -1;
    }
    got = wait(&status);
    if (got != tid || status != round * 3 + 1) {
        printf("fork_loop: FAILED: round %d: wait gave tid %d status %d, expected %d %d\n",
               round, got, status, tid, round * 3 + 1);
        return -1;
    }
    return 0;
}

int main(int argc, char *argv[])
{
    int rounds = argc > 1 ? atoi(argv[1]) : DEFAULT_ROUNDS;
    int i, failed = 0, before, after;

    test_start("fork_loop");
    round_trip(-1);                     /* first round touches pages once: measure after it */
    before = free_frames();
    for (i = 0; i < rounds && failed < 5; i++) {
        if (round_trip(i) < 0)
            failed++;
        if ((i + 1) % REPORT_EVERY == 0)
            printf("fork_loop: %d rounds\n", i + 1);
    }
    CHECK_INT(failed, 0);
    CHECK_INT(wait(NULL), -7);
    after = free_frames();
    CHECK_INT(after, before);
    printf("fork_loop: %d rounds done, free frames %d before, %d after\n", i, before, after);
    return test_finish();
}
