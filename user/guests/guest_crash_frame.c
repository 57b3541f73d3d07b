/*
 * guest_crash_frame - a delivery frame that cannot be written crashes the guest
 * (doc/syscalls.md 16).
 *
 * Paging on with only [0, 4 MiB) mapped, slot 6 handled, esp moved to 5 MiB (unmapped), then
 * ud2: the frame would go below esp, so the guest ends with status 0xDEADC0DE.
 */
#include "guest.h"

int main(void)
{
    uint32_t *pd = pd_new();

    guest_name = "guest_crash_frame";
    map_identity(pd, 0, 0x400000, PTE_P | PTE_W);
    hv_setpd(pd, 1);
    trap_install(SLOT_UD, NULL, 1);
    printf("guest_crash_frame: ud2 with the stack unmapped\n");
    ud2_on_stack(0x00500000);
    guest_still_running();
}
