/*
 * thr_test.h - helpers for the thread library's tests (user/tests/thr_*.c), on top of
 * testlib.h (CHECK, CHECK_INT, test_start, test_finish).
 *
 *   thr_test_blocked(tid)  waits until thread tid sleeps for good (in a lock, a join,
 *                          deschedule), so that a test can line threads up in a known order
 *   thr_test_add(&x, n)    x += n as one step, returning the old x
 *   thr_test_rand(&seed)   a small pseudo-random generator, one seed per thread
 *   thr_test_settle()      gives the other threads time to run (a few ticks of sleep)
 *   thr_test_main(...)     runs the test that a program's first argument names
 */
#ifndef _THR_TEST_H
#define _THR_TEST_H

#include <syscall.h>
#include <stdlib.h>
#include "testlib.h"

#define THR_TEST_E_STATE    (-9)    /* yield's error for a thread that cannot run now */
#define THR_TEST_TRIES      100000  /* yields before thr_test_blocked gives up */

static inline int thr_test_add(volatile int *p, int n)
{
    __asm__ volatile("lock xaddl %0, %1" : "+r"(n), "+m"(*p) : : "memory");
    return n;
}

/*
 * Returns once thread tid is blocked: yield(tid) runs it while it can run and fails with
 * E_STATE once it cannot. A thread can also be held for a moment inside the kernel (a kernel
 * lock), so the answer must still hold a tick later. Fails the test (and exits) if the thread
 * never blocks or is gone.
 */
static inline void thr_test_blocked(int tid)
{
    int tries, r = 0;

    for (tries = 0; tries < THR_TEST_TRIES; tries++) {
        r = yield(tid);
        if (r == 0)
            continue;
        if (r != THR_TEST_E_STATE)
            break;
        sleep(1);
        if (yield(tid) == THR_TEST_E_STATE)
            return;
    }
    printf("%s: FAILED: thread %d never blocked (yield: %d)\n", test_name, tid, r);
    exit(1);
}

/* Lets the others run for a while: sleeping threads wake, runnable ones get turns. */
static inline void thr_test_settle(void)
{
    int i;

    for (i = 0; i < 20; i++)
        yield(-1);
    sleep(3);
}

/* A linear congruential generator; returns 15 bits. */
static inline int thr_test_rand(unsigned int *seed)
{
    *seed = *seed * 1103515245u + 12345u;
    return (int)((*seed >> 16) & 0x7fff);
}

/* One test of a program that holds several: its name (the first argument) and its main. */
struct thr_test {
    const char *name;
    int (*run)(int argc, char **argv);
};

/* Runs the test named by argv[1], with the arguments after the name; else prints a usage. */
static inline int thr_test_main(const char *prog, const struct thr_test *tests, int n,
                                int argc, char **argv)
{
    int i;

    for (i = 0; argc >= 2 && i < n; i++)
        if (strcmp(argv[1], tests[i].name) == 0)
            return tests[i].run(argc - 1, argv + 1);
    printf("usage: %s TEST [ARGS...], TEST one of:", prog);
    for (i = 0; i < n; i++)
        printf(" %s", tests[i].name);
    printf("\n");
    return 1;
}

#endif /* _THR_TEST_H */
