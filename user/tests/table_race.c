/*
 * table_race - page tables of different tasks must stay theirs when new_pages and
 * remove_pages run side by side in several tasks.
 *
 * Found by `fuzz 100000 3 -new_console` in Bochs (KERNEL PANIC: assertion failed:
 * !(*pte & PTE_P) in vm_map_zero, or f < KFRAMES && !kframe_is_free(f) in kframe_free from
 * pd_destroy). Since page tables are freed when their last page goes, the kernel keeps a few
 * empty ones in a global pool (spare_tables, kernel.c section 16). table_new and table_free
 * changed that pool with neither a lock nor interrupts off (each caller held only its own
 * task's vm_lock): a thread preempted half-way through `spare_tables.table[--count]` let
 * another task take or give back a table in between, so one table ended up in two places.
 *
 * Here TASKS tasks each map and unmap one page ROUNDS times, each in a 4 MiB range of its
 * own, so that every new_pages takes a table from the pool and every remove_pages puts one
 * back; 1 ms ticks (misbehave 1) preempt them often, and a random pause between the calls
 * keeps the ticks from always landing at the same places of a round. Each task writes its own
 * pattern into its page and reads it back. The kernel must not panic, and every task must
 * read back what it wrote.
 */
#include <stdio.h>
#include <stdlib.h>
#include <syscall.h>

#define TASKS       6
#define ROUNDS      10000
#define BASE        0x40000000u         /* task i uses the 4 MiB at BASE + i * 4 MiB */
#define SPAN        0x00400000u
#define PAUSE_MAX   2000                /* loop turns of the random pause */

/* Spins for a random while, so that the rounds do not keep in step with the timer. */
static void pause(void)
{
    for (volatile int n = rand() % PAUSE_MAX; n > 0; n--)
        ;
}

/* One task's rounds; returns how many went wrong. */
static int churn(int i)
{
    unsigned int *page = (unsigned int *)(BASE + (unsigned int)i * SPAN);
    unsigned int mark = 0xC0DE0000u + (unsigned int)i;
    int wrong = 0;

    srand((unsigned int)i + 1);
    for (int r = 0; r < ROUNDS; r++) {
        pause();
        if (new_pages(page, PAGE_SIZE) < 0) {
            wrong++;
            continue;
        }
        for (int k = 0; k < 8; k++)
            page[k * 128] = mark + (unsigned int)k;
        for (int k = 0; k < 8; k++)
            wrong += page[k * 128] != mark + (unsigned int)k;
        pause();
        remove_pages(page);
    }
    return wrong;
}

int main(void)
{
    int status, wrong = 0, tid;

    misbehave(1);
    for (int i = 0; i < TASKS; i++)
        if ((tid = fork()) == 0)
            exit(churn(i));
        else if (tid < 0)
            wrong++;
    while (wait(&status) > 0)
        wrong += status;
    misbehave(0);
    printf("table_race: %d wrong\n", wrong);
    return wrong != 0;
}
