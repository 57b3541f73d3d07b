/*
 * guest_crash_pte - a page table entry naming a frame beyond the guest's 24 MiB crashes
 * the guest when it is used (doc/syscalls.md 16). Status 0xDEADC0DE.
 */
#include "guest.h"

int main(void)
{
    uint32_t *pd = pd_new();

    guest_name = "guest_crash_pte";
    map_identity(pd, 0, 0x400000, PTE_P | PTE_W);
    map_page(pd, 0x00500000, HV_MEM_BYTES, PTE_P | PTE_W);     /* frame 6144: none */
    hv_setpd(pd, 1);
    trap_install(SLOT_PF, NULL, 1);             /* not a page fault to deliver either */
    printf("guest_crash_pte: reading through a PTE with frame 6144\n");
    probe_read((void *)0x00500000);
    guest_still_running();
}
