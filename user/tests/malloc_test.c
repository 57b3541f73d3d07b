/*
 * malloc_test - the heap (malloc.c): alignment, no overlap, reuse and
 * merging of freed chunks, calloc zeroing, realloc keeping the contents,
 * and NULL for impossible sizes. Needs new_pages.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include "testlib.h"

#define COUNT   200
#define HEAP_BOUND (0x40000000u + 2 * 1024 * 1024)  /* the heap must stay below */

static char *blocks[COUNT];
static size_t sizes[COUNT];

static int filled_with(const char *p, size_t n, char c)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (p[i] != c)
            return 0;
    }
    return 1;
}

/* Many blocks of random sizes, each filled with its own byte, freed in a mixed order. */
static void check_many_blocks(void)
{
    int i, aligned = 1, intact = 1;

    srand(7);
    for (i = 0; i < COUNT; i++) {
        sizes[i] = (size_t)(rand() % 3000);
        blocks[i] = malloc(sizes[i]);
        if (!CHECK(blocks[i] != NULL))
            return;
        aligned &= ((uintptr_t)blocks[i] % 8) == 0;
        memset(blocks[i], i, sizes[i]);
    }
    CHECK(aligned);
    for (i = 0; i < COUNT; i += 2)              /* every other one first */
        free(blocks[i]);
    for (i = 1; i < COUNT; i += 2)              /* the others must be untouched */
        intact &= filled_with(blocks[i], sizes[i], (char)i);
    CHECK(intact);
    for (i = COUNT - 1; i > 0; i -= 2)
        free(blocks[i]);
}

/*
 * Ever bigger blocks, each freed before the next: only if freed chunks merge
 * does the heap stay small (without merging every round needs new memory).
 */
static void check_merging(void)
{
    size_t size;
    char *a, *b, *c;
    int below = 1;

    for (size = 1024; size <= 256 * 1024; size += 1024) {
        a = malloc(size / 4);
        b = malloc(size / 4);
        c = malloc(size / 2);
        below &= a && b && c && (uintptr_t)c + size / 2 < HEAP_BOUND;
        free(b);
        free(a);
        free(c);
    }
    CHECK(below);
}

static void check_calloc_realloc(void)
{
    char *p = malloc(100), *q;

    CHECK(p != NULL);
    memset(p, 0xff, 100);
    free(p);
    p = calloc(25, 4);
    CHECK(p != NULL && filled_with(p, 100, 0));
    strcpy(p, "keep me");
    q = realloc(p, 10000);                      /* must move: keeps the text */
    CHECK(q != NULL);
    CHECK_STR(q, "keep me");
    CHECK(realloc(q, 10) == q);                 /* shrinking stays in place */
    CHECK(realloc(q, 0) == NULL);               /* frees it */
    p = realloc(NULL, 16);
    CHECK(p != NULL);
    free(p);
    p = strdup("duplicate");
    CHECK(p != NULL);
    CHECK_STR(p, "duplicate");
    free(p);
    free(NULL);
}

static void check_impossible(void)
{
    CHECK(malloc(0x7fffffff) == NULL);
    CHECK(malloc((size_t)-1) == NULL);
    CHECK(calloc(0x10000, 0x10000) == NULL);    /* count * size overflows */
    CHECK(malloc(0x60000000) == NULL);          /* more than the machine has */
    CHECK(malloc(10) != NULL);                  /* and the heap still works */
}

int main(void)
{
    test_start("malloc_test");
    check_many_blocks();
    check_merging();
    check_calloc_realloc();
    check_impossible();
    return test_finish();
}
