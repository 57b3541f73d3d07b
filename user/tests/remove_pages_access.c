/*
 * remove_pages_access [read|write|middle] - after remove_pages the region is gone: the frames
 * come back at once, and the next access faults, killing us with status -2.
 *   read    read the region's first word           (the default)
 *   write   write its last word
 *   middle  a 3-page region; read its middle page
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include "testlib.h"

#define REGION          ((volatile int *)0x20000000)
#define PAGES           3
#define WORDS           (PAGES * PAGE_SIZE / 4)

int main(int argc, char *argv[])
{
    const char *mode = argc > 1 ? argv[1] : "read";
    int before, i;

    test_start("remove_pages_access");
    set_status(1);
    before = free_frames();
    CHECK_INT(new_pages((void *)REGION, PAGES * PAGE_SIZE), 0);
    for (i = 0; i < WORDS; i++)
        REGION[i] = i;
    for (i = 0; i < WORDS; i++)
        CHECK_INT(REGION[i], i);
    CHECK(before - free_frames() >= PAGES);
    CHECK_INT(remove_pages((void *)REGION), 0);
    CHECK(free_frames() >= before - 1);         /* a page table may stay behind */
    if (test_finish() != 0)
        return 1;
    printf("remove_pages_access: touching the removed region (%s)\n", mode);
    if (strcmp(mode, "write") == 0)
        REGION[WORDS - 1] = 1;
    else if (strcmp(mode, "middle") == 0)
        set_status(REGION[WORDS / 2]);
    else
        set_status(REGION[0]);
    printf("remove_pages_access: FAILED: the removed region is still there\n");
    return 99;
}
