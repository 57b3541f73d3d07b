/*
 * mem_exhaust [cow] - use up all user memory with new_pages, then give it back:
 *   - 1 MiB regions until new_pages fails with -5, then single pages until that fails too;
 *   - while memory is gone: fork and exec fail with -5 (and change nothing), a 1-page
 *     new_pages fails, the pages we hold all work (the kernel promised them: touching one
 *     never kills us);
 *   - remove_pages of every region; then a new_pages as big as all of them works again,
 *     and fork works again.
 * With "cow": the promise holds across fork too. We fill 4 MiB, fork, use up all the rest of
 * memory, and then both we and the child write every page of the 4 MiB (each write needs a
 * copy-on-write frame): neither may be killed.
 * init checks that every frame came back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <syscall.h>
#include "testlib.h"

#define E_NOMEM         (-5)
#define CHUNK           (1024 * 1024)
#define BASE            ((char *)0x20000000)    /* regions go upwards from here */
#define MAX_REGIONS     4096

static char *bases[MAX_REGIONS];
static int lens[MAX_REGIONS];
static int regions;

/* Maps regions of `len` bytes one after another until new_pages fails; returns the error. */
static int fill_with(int len, char **next)
{
    int r;

    while (regions < MAX_REGIONS) {
        r = new_pages(*next, len);
        if (r < 0)
            return r;
        bases[regions] = *next;
        lens[regions++] = len;
        *next += len;
    }
    return 0;
}

/* Writes the first word of every page of every region; returns how many read back wrong. */
static int touch_all(unsigned tag)
{
    int i, off, wrong = 0;

    for (i = 0; i < regions; i++)
        for (off = 0; off < lens[i]; off += PAGE_SIZE)
            *(volatile unsigned *)(bases[i] + off) = tag ^ (unsigned)(uintptr_t)(bases[i] + off);
    for (i = 0; i < regions; i++)
        for (off = 0; off < lens[i]; off += PAGE_SIZE)
            wrong += *(volatile unsigned *)(bases[i] + off)
                     != (tag ^ (unsigned)(uintptr_t)(bases[i] + off));
    return wrong;
}

static int exhaust(void)
{
    char *next = BASE;
    int r, chunks, total = 0, i;

    r = fill_with(CHUNK, &next);
    chunks = regions;
    printf("mem_exhaust: %d MiB in 1 MiB regions, then new_pages returned %d\n", chunks, r);
    CHECK_INT(r, E_NOMEM);
    r = fill_with(PAGE_SIZE, &next);
    printf("mem_exhaust: %d more single pages, then new_pages returned %d\n", regions - chunks,
           r);
    CHECK_INT(r, E_NOMEM);
    CHECK(regions < MAX_REGIONS);
    CHECK(chunks > 4);                  /* even a guest (8 MiB of user memory) has more */
    for (i = 0; i < regions; i++)
        total += lens[i];
    return total;
}

static void while_exhausted(void)
{
    char *hello_argv[] = { "hello", NULL };
    int tid;

    CHECK_INT(new_pages(BASE - PAGE_SIZE, PAGE_SIZE), E_NOMEM);
    CHECK_INT(exec("hello", hello_argv), E_NOMEM);     /* and we are still here */
    tid = fork();
    if (tid == 0)
        exit(42);                       /* must not happen: a child needs memory */
    CHECK_INT(tid, E_NOMEM);
    if (tid > 0)
        wait(NULL);
    CHECK_INT(touch_all(0x5a5a0000), 0);        /* every promised page is there */
    CHECK_INT(wait(NULL), -7);          /* the failed fork left no child */
    printf("mem_exhaust: while exhausted: fork, exec and new_pages fail, held pages work\n");
}

static void give_back(int total)
{
    int i, tid, status = -1;

    for (i = 0; i < regions; i++)
        CHECK_INT(remove_pages(bases[i]), 0);
    regions = 0;
    CHECK_INT(new_pages(BASE, total), 0);       /* all of it again, in one region */
    bases[0] = BASE;
    lens[0] = total;
    regions = 1;
    CHECK_INT(touch_all(0xa5a50000), 0);
    CHECK_INT(remove_pages(BASE), 0);
    regions = 0;
    tid = fork();
    if (tid == 0)
        exit(7);
    CHECK(tid > 0);
    CHECK_INT(wait(&status), tid);
    CHECK_INT(status, 7);
    printf("mem_exhaust: after remove_pages: %d KiB in one region and fork work again\n",
           total / 1024);
}

#define COW_REGION      ((char *)0x10000000)
#define COW_PAGES       1024

/* Writes `tag` into every page of the copy-on-write region; returns the pages read back wrong. */
static int cow_write_all(unsigned tag)
{
    int i, wrong = 0;

    for (i = 0; i < COW_PAGES; i++)
        *(volatile unsigned *)(COW_REGION + i * PAGE_SIZE) = tag + (unsigned)i;
    for (i = 0; i < COW_PAGES; i++)
        wrong += *(volatile unsigned *)(COW_REGION + i * PAGE_SIZE) != tag + (unsigned)i;
    return wrong;
}

static void cow_promise(void)
{
    int tid, status = -1, i;

    CHECK_INT(new_pages(COW_REGION, COW_PAGES * PAGE_SIZE), 0);
    CHECK_INT(cow_write_all(0x1000), 0);
    tid = fork();
    if (tid == 0) {
        sleep(30);                      /* until the parent has used up the memory */
        exit(cow_write_all(0x3000));
    }
    CHECK(tid > 0);
    exhaust();
    CHECK_INT(cow_write_all(0x2000), 0);
    CHECK_INT(wait(&status), tid);
    CHECK_INT(status, 0);               /* not -2: the child got its frames too */
    printf("mem_exhaust: cow: parent and child wrote %d shared pages with memory exhausted\n",
           COW_PAGES);
    for (i = 0; i < regions; i++)
        CHECK_INT(remove_pages(bases[i]), 0);
    CHECK_INT(remove_pages(COW_REGION), 0);
}

int main(int argc, char *argv[])
{
    int before, total;

    test_start("mem_exhaust");
    if (argc > 1 && strcmp(argv[1], "cow") == 0) {
        cow_promise();
        return test_finish();
    }
    before = free_frames();
    total = exhaust();
    while_exhausted();
    give_back(total);
    printf("mem_exhaust: free frames %d before, %d after\n", before, free_frames());
    CHECK(free_frames() >= before - 16);        /* page tables of the regions may remain */
    return test_finish();
}
