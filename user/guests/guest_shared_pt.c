/*
 * guest_shared_pt - 1,020 directory entries sharing one page table (doc/syscalls.md 16, issue 10).
 *
 * Every usable directory entry (0 to 1019: virtual addresses up to 0xFEFFFFFF) points at the
 * same page table T, which maps the first 4 MiB onto themselves; so the guest's code runs
 * through entry 0 and every other 4 MiB region is an alias of it. A hypervisor that copies
 * tables eagerly, or keeps a shadow of T per directory entry without bound, needs 1,020
 * shadow tables (4 MiB of kernel memory per guest); the case runs two of these guests beside
 * a normal program (tests/cases/guest_shared_pt.t, through guest_pair) to show that memory
 * stays bounded and comes back (init's leak check). The guest touches a page through each
 * region (writing j at region j), checks every write through region 0, then reads each back
 * through its region again, twice, so that dropped shadows are refilled.
 */
#include "guest.h"

#define REGIONS     1020
#define REGION      0x00400000u
#define SCRATCH     0x00200000u         /* 256 pages in region 0 that the writes land in */

/* Where region j's write goes: a page of the scratch area and a word in it. */
static uint32_t offset_of(uint32_t j)
{
    return SCRATCH + (j % 256) * PAGE_SIZE + (j / 256) * 4;
}

int main(void)
{
    uint32_t *pd = pd_new(), *table = page_alloc(), bad = 0;

    guest_name = "guest_shared_pt";
    for (uint32_t i = 0; i < 1024; i++)
        table[i] = i * PAGE_SIZE | PTE_P | PTE_W;
    for (uint32_t j = 0; j < REGIONS; j++)
        pd[j] = (uint32_t)table | PTE_P | PTE_W;
    hv_setpd(pd, 1);
    printf("guest_shared_pt: %d directory entries share one table\n", REGIONS);

    for (uint32_t j = 1; j < REGIONS; j++)
        *(volatile uint32_t *)(j * REGION + offset_of(j)) = j;
    for (uint32_t j = 1; j < REGIONS; j++)
        if (*(volatile uint32_t *)offset_of(j) != j)
            bad++;
    CHECK_EQ(bad, 0);
    for (int pass = 0; pass < 2; pass++)
        for (uint32_t j = REGIONS - 1; j > 0; j--)
            if (*(volatile uint32_t *)(j * REGION + offset_of(j)) != j)
                bad++;
    CHECK_EQ(bad, 0);
    /* The last region ends at 0xFEFFFFFF: its top word is the same as region 0's. */
    CHECK_EQ(*(volatile uint32_t *)0xFEFFFFFC, *(volatile uint32_t *)0x003FFFFC);
    return guest_finish();
}
