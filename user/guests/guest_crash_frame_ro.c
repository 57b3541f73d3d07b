/*
 * guest_crash_frame_ro - a delivery frame on a read-only stack page, with wp = 1, crashes
 * the guest (doc/syscalls.md 16): the hypervisor writes the frame with the guest kernel's rights,
 * and wp = 1 takes away its right to write read-only pages. Status 0xDEADC0DE.
 */
#include "guest.h"

int main(void)
{
    uint32_t *pd = pd_new();

    guest_name = "guest_crash_frame_ro";
    map_identity(pd, 0, 0x400000, PTE_P | PTE_W);
    map_page(pd, 0x00500000, 0x00500000, PTE_P);        /* read-only */
    hv_setpd(pd, 1);
    trap_install(SLOT_UD, NULL, 1);
    printf("guest_crash_frame_ro: ud2 with the stack read-only\n");
    ud2_on_stack(0x00501000);
    guest_still_running();
}
