/*
 * zfod_test - new_pages memory is zero-filled on demand:
 *   - a 4 MiB region reads as zero everywhere, and reading it costs (almost) no frames;
 *   - writing one byte of one page costs about one frame and leaves every other page zero;
 *   - writing every page costs about one frame per page; remove_pages gives them all back;
 *   - a region mapped again at the same place is zero again (no old data shows through).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include "testlib.h"

#define REGION          ((unsigned *)0x20000000)
#define PAGES           1024                    /* 4 MiB */
#define WORDS_PER_PAGE  (PAGE_SIZE / 4)
#define SLACK           8       /* frames a page table or two may take on the way */

/* Number of non-zero words in the region (every word is read). */
static int nonzero_words(void)
{
    volatile unsigned *p = REGION;
    int i, n = 0;

    for (i = 0; i < PAGES * WORDS_PER_PAGE; i++)
        n += p[i] != 0;
    return n;
}

static void check_reads(int before_map)
{
    int after_map = free_frames(), after_read;

    CHECK_INT(nonzero_words(), 0);
    after_read = free_frames();
    printf("zfod_test: free frames: %d before new_pages, %d after, %d after reading 4 MiB\n",
           before_map, after_map, after_read);
    CHECK(before_map - after_map <= SLACK);     /* nothing taken until touched */
    CHECK(after_map - after_read <= SLACK);     /* reading zeroes needs no frame each */
}

static void check_one_write(void)
{
    int before = free_frames(), after;

    REGION[(PAGES / 2) * WORDS_PER_PAGE + 3] = 0xfeedface;
    after = free_frames();
    printf("zfod_test: one written page cost %d frame(s)\n", before - after);
    CHECK(before - after >= 1 && before - after <= SLACK);
    CHECK_INT(nonzero_words(), 1);
    CHECK(REGION[(PAGES / 2) * WORDS_PER_PAGE + 3] == 0xfeedface);
}

static void check_all_writes(int before_map)
{
    int i, before = free_frames(), after;

    for (i = 0; i < PAGES; i++)
        REGION[i * WORDS_PER_PAGE + i % WORDS_PER_PAGE] = (unsigned)i + 1;
    after = free_frames();
    printf("zfod_test: writing every page cost %d frames\n", before - after);
    CHECK(before - after >= PAGES - 1 - SLACK && before - after <= PAGES - 1 + SLACK);
    for (i = 0; i < PAGES; i++)
        CHECK(REGION[i * WORDS_PER_PAGE + i % WORDS_PER_PAGE] == (unsigned)i + 1);
    CHECK_INT(nonzero_words(), PAGES + 1);     /* and check_one_write's word */
    CHECK_INT(remove_pages(REGION), 0);
    after = free_frames();
    CHECK(after >= before_map - SLACK && after <= before_map);
    printf("zfod_test: remove_pages gave back all but %d frames\n", before_map - after);
}

int main(void)
{
    int before;

    test_start("zfod_test");
    before = free_frames();
    CHECK_INT(new_pages(REGION, PAGES * PAGE_SIZE), 0);
    check_reads(before);
    check_one_write();
    check_all_writes(before);
    /* Mapped again: the old contents must be gone. */
    CHECK_INT(new_pages(REGION, PAGES * PAGE_SIZE), 0);
    CHECK_INT(nonzero_words(), 0);
    CHECK_INT(remove_pages(REGION), 0);
    printf("zfod_test: a new region at the same place is zero again\n");
    return test_finish();
}
