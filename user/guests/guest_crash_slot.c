/*
 * guest_crash_slot - an exception for an empty slot crashes the guest (doc/syscalls.md 16).
 *
 * ud2 with no handler in slot 6: the hypervisor cannot deliver it, so the guest ends with
 * status 0xDEADC0DE and a one-line report (tests/cases/guest_crash_slot.t).
 */
#include "guest.h"

int main(void)
{
    guest_name = "guest_crash_slot";
    printf("guest_crash_slot: ud2 with slot 6 empty\n");
    __asm__ volatile("ud2");
    guest_still_running();
}
