/*
 * mem_threads - thr_create until memory runs out: it must fail cleanly, and everything made
 * must still work and come back.
 *
 * Each thread waits on a semaphore, so all of them exist at once. When thr_create returns a
 * negative error (no frame for a kernel stack or a thread stack), we release every thread,
 * join each one with its exact status, and then do it all once more: the second round must
 * reach the same number (spare stacks reused, nothing lost), and init's frame check at the
 * end finds no leak.
 */
#include <stdio.h>
#include <stdint.h>
#include <malloc.h>
#include <thread.h>
#include <sem.h>
#include "testlib.h"

#define MAX_THREADS 20000               /* far more than 64 MiB can hold */

static sem_t go;
static int *tids;

static void *wait_then_return(void *arg)
{
    sem_wait(&go);
    return arg;
}

/* Creates threads until thr_create fails; returns how many were made. */
static int create_until_full(int *err)
{
    int n;

    for (n = 0; n < MAX_THREADS; n++) {
        int tid = thr_create(wait_then_return, (void *)(intptr_t)(n * 3 + 1));
        if (tid < 0) {
            *err = tid;
            return n;
        }
        tids[n] = tid;
    }
    *err = 0;
    return n;
}

/* Lets every thread go and joins each; returns how many statuses were wrong. */
static int release_and_join(int n)
{
    int i, wrong = 0;
    void *status;

    for (i = 0; i < n; i++)
        sem_signal(&go);
    for (i = 0; i < n; i++) {
        if (thr_join(tids[i], &status) < 0 || status != (void *)(intptr_t)(i * 3 + 1))
            wrong++;
    }
    return wrong;
}

int main(void)
{
    int n1, n2, err;

    test_start("mem_threads");
    CHECK(thr_init(4096) == 0);
    CHECK(sem_init(&go, 0) == 0);
    tids = malloc(MAX_THREADS * sizeof *tids);
    CHECK(tids != NULL);
    if (tids == NULL)
        return test_finish();

    n1 = create_until_full(&err);
    printf("mem_threads: round 1: %d threads at once, then thr_create returned %d\n", n1, err);
    CHECK(err < 0);
    CHECK(n1 >= 500);
    CHECK_INT(release_and_join(n1), 0);
    free_frames();                      /* waits until the reaper has freed their kernel stacks */

    n2 = create_until_full(&err);
    printf("mem_threads: round 2: %d threads at once, then thr_create returned %d\n", n2, err);
    CHECK(err < 0);
    CHECK(n2 >= n1 - 2 && n2 <= n1 + 2);        /* nothing was lost in round 1 */
    CHECK_INT(release_and_join(n2), 0);
    free(tids);
    return test_finish();
}
