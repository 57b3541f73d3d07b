/*
 * peon [N] - a worker for knife: says who it is, works for a moment, and exits with status N
 * (default 0).
 *
 * The pause (N times 5 ticks) makes peons started together finish in a different order from
 * the one they were started in, so knife's waits see them come back out of order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <syscall.h>

#define TICKS_PER_UNIT  5

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 0;

    printf("peon %d (tid %d): ready to work\n", n, gettid());
    sleep(n * TICKS_PER_UNIT);
    printf("peon %d (tid %d): job done, leaving with status %d\n", n, gettid(), n);
    return n;
}
