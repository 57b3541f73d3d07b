/*
 * guest_crash_pde - a directory entry naming a page table beyond the guest's 24 MiB crashes
 * the guest when an address under it is used (doc/syscalls.md 16). Status 0xDEADC0DE.
 */
#include "guest.h"

int main(void)
{
    uint32_t *pd = pd_new();

    guest_name = "guest_crash_pde";
    map_identity(pd, 0, 0x400000, PTE_P | PTE_W);
    pd[1] = HV_MEM_BYTES | PTE_P | PTE_W;       /* [4 MiB, 8 MiB): table at frame 6144 */
    hv_setpd(pd, 1);
    trap_install(SLOT_PF, NULL, 1);
    printf("guest_crash_pde: reading under a PDE with frame 6144\n");
    probe_read((void *)0x00400000);
    guest_still_running();
}
