/*
 * guest_mem - a guest that touches all of its 24 MiB (doc/syscalls.md 16, issue 10 "Memory").
 *
 * Paging off, it writes a word into every page of guest-physical memory, keeps it all for
 * 500 timer ticks (5 s alone, more when sharing the CPU: guests started together overlap
 * even where loading one from the floppy takes seconds), then checks every page.
 * Alone it fits; tests/cases/guest_mem.t starts three at once (72 MiB in a 64 MiB machine):
 * guest memory is taken on first touch from frames nobody was promised, so at least one
 * must crash "out of memory" (status 0xDEADC0DE) while the others finish, the machine goes
 * on, and every frame comes back when they are gone (init's leak check).
 */
#include "guest.h"

int main(void)
{
    uint32_t pages = HV_MEM_BYTES / PAGE_SIZE, bad = 0;

    guest_name = "guest_mem";
    printf("guest_mem: touching %u pages\n", pages);
    for (uint32_t p = 0x400; p < pages; p++)    /* from 4 MiB: past image and tables */
        *(volatile uint32_t *)(p * PAGE_SIZE + 8) = p;
    timer_start();
    while (timer_ticks < 500)
        ;
    hv_disable_interrupts();
    for (uint32_t p = 0x400; p < pages; p++)
        if (*(volatile uint32_t *)(p * PAGE_SIZE + 8) != p)
            bad++;
    CHECK_EQ(bad, 0);
    return guest_finish();
}
