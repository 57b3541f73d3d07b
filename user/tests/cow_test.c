/*
 * cow_test - after fork, parent and child each have their own copy of every writable page:
 * a global (.data), a .bss array, a malloc'd block, a new_pages region and a stack variable.
 * Each side first reads the value from before the fork, then writes its own; after the other
 * side has written too, each still sees only its own values. The child also removes the
 * new_pages region and maps a fresh one at the same place (zero-filled), which the parent must
 * not notice. A second child, forked later, sees the parent's later values.
 * Last, the kernel itself writes into pages shared copy-on-write (readfile's buffer and wait's
 * status word): only the caller's copy may change.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include "testlib.h"

#define REGION          ((int *)0x20000000)
#define REGION_PAGES    4
#define BSS_WORDS       (3 * PAGE_SIZE / 4)     /* spans pages, only some written */
#define PRE_FORK        1
#define BY_PARENT       2
#define BY_CHILD        3

static volatile int global = -1;
static volatile int bss_array[BSS_WORDS];
static volatile int *heap;

struct places {
    volatile int *stack;
};

/* Writes `v` (a phase tag) to every place, each with its own offset so mix-ups show. */
static void write_all(struct places *p, int v)
{
    global = v * 10 + 1;
    bss_array[BSS_WORDS / 2] = v * 10 + 2;
    heap[0] = v * 10 + 3;
    REGION[REGION_PAGES * PAGE_SIZE / 4 - 1] = v * 10 + 4;     /* the last word */
    *p->stack = v * 10 + 5;
}

/* Counts the places that do not hold `v`'s values; prints which. */
static int count_wrong(struct places *p, int v, const char *who)
{
    int got[5], i, wrong = 0;

    got[0] = global;
    got[1] = bss_array[BSS_WORDS / 2];
    got[2] = heap[0];
    got[3] = REGION[REGION_PAGES * PAGE_SIZE / 4 - 1];
    got[4] = *p->stack;
    for (i = 0; i < 5; i++) {
        if (got[i] != v * 10 + i + 1) {
            printf("cow_test: FAILED: %s: place %d holds %d, expected %d\n", who, i, got[i],
                   v * 10 + i + 1);
            wrong++;
        }
    }
    return wrong;
}

/* Nothing but the written words changed in the .bss array: the rest is still zero. */
static int bss_others_zero(void)
{
    int i;

    for (i = 0; i < BSS_WORDS; i++)
        if (i != BSS_WORDS / 2 && bss_array[i] != 0)
            return 0;
    return 1;
}

static void child(struct places *p)
{
    int wrong = count_wrong(p, PRE_FORK, "child before writing");
    int i;

    write_all(p, BY_CHILD);
    sleep(10);                          /* the parent writes meanwhile */
    wrong += count_wrong(p, BY_CHILD, "child after parent wrote");
    wrong += !bss_others_zero();
    /* Replace the region: the parent keeps its own. */
    wrong += remove_pages(REGION) != 0;
    wrong += new_pages(REGION, REGION_PAGES * PAGE_SIZE) != 0;
    for (i = 0; i < REGION_PAGES * PAGE_SIZE / 4; i++)
        wrong += REGION[i] != 0;
    REGION[0] = 99;
    exit(wrong);
}

static void first_child(struct places *p)
{
    int status = -1, tid = fork();

    if (tid == 0)
        child(p);
    CHECK(tid > 0);
    sleep(5);                           /* the child has written by now */
    CHECK_INT(count_wrong(p, PRE_FORK, "parent before writing"), 0);
    write_all(p, BY_PARENT);
    CHECK_INT(wait(&status), tid);
    CHECK_INT(status, 0);               /* the child's count of wrong values */
    CHECK_INT(count_wrong(p, BY_PARENT, "parent after child exited"), 0);
    CHECK_INT(REGION[0], 0);            /* the child's new region was its own */
    CHECK(bss_others_zero());
    printf("cow_test: parent and child each saw their own values\n");
}

/* A later child sees the parent's values as they were at that fork. */
static void second_child(struct places *p)
{
    int status = -1, tid = fork();

    if (tid == 0) {
        int wrong = count_wrong(p, BY_PARENT, "second child");
        write_all(p, BY_CHILD);
        exit(wrong);
    }
    CHECK(tid > 0);
    CHECK_INT(wait(&status), tid);
    CHECK_INT(status, 0);
    CHECK_INT(count_wrong(p, BY_PARENT, "parent after second child"), 0);
    printf("cow_test: a second child saw the parent's later values\n");
}

static char kbuf[PAGE_SIZE];            /* .bss page the kernel writes to */
static volatile int wstatus = 7;        /* .data word wait() writes to */

/* Counts bytes of kbuf that differ from c, from byte `from` on. */
static int kbuf_wrong(int from, char c)
{
    int i, wrong = 0;

    for (i = from; i < PAGE_SIZE; i++)
        wrong += kbuf[i] != c;
    return wrong;
}

/* A child that checks, after the parent's system calls wrote, that its copies did not move. */
static void watcher(void)
{
    sleep(20);
    exit(kbuf_wrong(0, 'P') + (wstatus != 7) * 1000);
}

static void kernel_writes(void)
{
    int status = -1, watch, quick;

    memset(kbuf, 'P', sizeof kbuf);
    watch = fork();
    if (watch == 0)
        watcher();
    quick = fork();
    if (quick == 0)
        exit(55);
    CHECK(watch > 0 && quick > 0);
    CHECK_INT(readfile("hello.txt", kbuf, 12, 0), 12);
    CHECK(memcmp(kbuf, "Hello, file!", 12) == 0);
    CHECK_INT(kbuf_wrong(12, 'P'), 0);
    CHECK_INT(wait((int *)&wstatus), quick);
    CHECK_INT(wstatus, 55);
    CHECK_INT(wait(&status), watch);
    CHECK_INT(status, 0);               /* the watcher's copies were untouched */
    printf("cow_test: kernel writes (readfile, wait) went to the caller's copy only\n");
}

int main(void)
{
    volatile int on_stack = 0;
    struct places p = { &on_stack };

    test_start("cow_test");
    heap = malloc(64);
    CHECK(heap != NULL);
    CHECK_INT(new_pages(REGION, REGION_PAGES * PAGE_SIZE), 0);
    write_all(&p, PRE_FORK);
    first_child(&p);
    second_child(&p);
    kernel_writes();
    CHECK_INT(remove_pages(REGION), 0);
    return test_finish();
}
