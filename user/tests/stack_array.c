/*
 * stack_array - big local arrays on the initial stack (256 KiB, zero-fill on demand, so no
 * stack growth is needed):
 *   - a 64 KiB array is zero before first use (fresh stack pages), then filled and checked;
 *   - four nested calls with 25 KiB each (100 KiB live at once), each checked after the calls
 *     below it returned (no frame overwrote another);
 *   - one 200 KiB array, near the bottom of the initial stack.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <syscall.h>
#include "testlib.h"

#define BIG             (64 * 1024)
#define NESTED          (25 * 1024)
#define LEVELS          4
#define HUGE            (200 * 1024)

/* The pattern byte of position i of array `tag`. */
static unsigned char pattern(int tag, int i)
{
    return (unsigned char)(i * 7 + tag * 31 + (i >> 9));
}

/* Non-zero bytes in a; `noinline` keeps the compiler from reasoning about the array. */
static __attribute__((noinline)) int count_nonzero(volatile unsigned char *a, int n)
{
    int i, c = 0;

    for (i = 0; i < n; i++)
        c += a[i] != 0;
    return c;
}

static __attribute__((noinline)) void fill(volatile unsigned char *a, int n, int tag)
{
    int i;

    for (i = 0; i < n; i++)
        a[i] = pattern(tag, i);
}

static __attribute__((noinline)) int count_wrong(volatile unsigned char *a, int n, int tag)
{
    int i, c = 0;

    for (i = 0; i < n; i++)
        c += a[i] != pattern(tag, i);
    return c;
}

/*
 * The first time, no one has used the stack this low: the array must read as zero (all but
 * its top page, which printf's buffer may have used).
 */
static __attribute__((noinline)) void big_array(int fresh)
{
    volatile unsigned char a[BIG];

    if (fresh) {
        int nonzero = count_nonzero(a, BIG - 4096);
        printf("stack_array: 64 KiB array at %p, %d non-zero bytes before use\n", (void *)a,
               nonzero);
        CHECK_INT(nonzero, 0);
    }
    fill(a, BIG, 1);
    CHECK_INT(count_wrong(a, BIG, 1), 0);
}

static __attribute__((noinline)) int nested(int level)
{
    volatile unsigned char a[NESTED];
    int wrong;

    fill(a, NESTED, 10 + level);
    wrong = level + 1 < LEVELS ? nested(level + 1) : 0;
    return wrong + count_wrong(a, NESTED, 10 + level);
}

static __attribute__((noinline)) void huge_array(void)
{
    volatile unsigned char a[HUGE];

    CHECK((uintptr_t)a >= (uintptr_t)_stack_low_initial);     /* still the initial stack */
    fill(a, HUGE, 3);
    CHECK_INT(count_wrong(a, HUGE, 3), 0);
    printf("stack_array: 200 KiB array at %p, stack bottom %p\n", (void *)a, _stack_low_initial);
}

int main(void)
{
    test_start("stack_array");
    big_array(1);
    printf("stack_array: 64 KiB array checked\n");
    CHECK_INT(nested(0), 0);
    printf("stack_array: %d nested 25 KiB arrays checked\n", LEVELS);
    huge_array();
    big_array(0);                       /* used memory again: still fine */
    return test_finish();
}
