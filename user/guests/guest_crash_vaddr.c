/*
 * guest_crash_vaddr - a guest-virtual address above 0xFEFFFFFF crashes the guest
 * (doc/syscalls.md 16), even when the guest's own tables map it: its segment base of 16 MiB would
 * wrap it round to the host kernel's first megabytes. Directory entry 1020 (0xFF000000)
 * points at the table of entry 0; slot 14 is handled, so a page fault is not an answer.
 * Status 0xDEADC0DE.
 */
#include "guest.h"

int main(void)
{
    uint32_t *pd = pd_new();

    guest_name = "guest_crash_vaddr";
    map_identity(pd, 0, 0x400000, PTE_P | PTE_W);
    pd[1020] = pd[0];
    hv_setpd(pd, 1);
    trap_install(SLOT_PF, NULL, 1);
    printf("guest_crash_vaddr: reading 0xFF000000\n");
    probe_read((void *)0xFF000000);
    guest_still_running();
}
