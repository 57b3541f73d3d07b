/*
 * knife [COUNT] - the fork/exec/wait demo: starts COUNT peons (default 4, at most 16), each
 * with its number as argument (peon N exits with status N, the last-started first), then
 * waits for them all and prints each one's status as wait() hands it back.
 *
 * Exit status: 0 when every peon came back with the status it was asked for, else 1.
 */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <syscall.h>

#define COUNT_DEFAULT   4
#define COUNT_MAX       16

static int peon_tid[COUNT_MAX];         /* peon_tid[n]: the task running "peon n" */

/* Forks a child that becomes "peon n"; returns its tid, or fork's error. */
static int start_peon(int n)
{
    char number[12];
    char *argv[] = { "peon", number, NULL };
    int tid = fork(), err;

    if (tid != 0)
        return tid;
    snprintf(number, sizeof number, "%d", n);
    err = exec("peon", argv);
    printf("knife: cannot exec peon: %s (%d)\n", strerror(err), err);
    exit(-1);
}

/* Which peon a tid is, or -1. */
static int peon_number(int tid)
{
    int n;

    for (n = 0; n < COUNT_MAX; n++)
        if (peon_tid[n] == tid)
            return n;
    return -1;
}

/* Collects `count` children; returns how many came back with the status they should. */
static int collect(int count)
{
    int good = 0, status, tid, n;

    while (count-- > 0 && (tid = wait(&status)) >= 0) {
        n = peon_number(tid);
        printf("knife: peon %d (tid %d) exited with status %d\n", n, tid, status);
        good += status == n;
    }
    return good;
}

int main(int argc, char **argv)
{
    int count = argc > 1 ? atoi(argv[1]) : COUNT_DEFAULT;
    int started = 0, n;

    if (count < 1 || count > COUNT_MAX) {
        printf("usage: knife [COUNT]   (1 to %d peons)\n", COUNT_MAX);
        return 1;
    }
    for (n = count - 1; n >= 0; n--) {  /* the slowest (highest) first */
        peon_tid[n] = start_peon(n);
        if (peon_tid[n] < 0) {
            printf("knife: fork failed: %s (%d)\n", strerror(peon_tid[n]), peon_tid[n]);
            break;
        }
        printf("knife: started peon %d as tid %d\n", n, peon_tid[n]);
        started++;
    }
    if (collect(started) != count) {
        printf("knife: some peons did not come back as expected\n");
        return 1;
    }
    printf("knife: all %d peons came back\n", count);
    return 0;
}
