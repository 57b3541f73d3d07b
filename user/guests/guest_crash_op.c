/*
 * guest_crash_op - an unknown hypercall operation crashes the guest (doc/syscalls.md 16):
 * 13 is the first number after the defined ones (0x20-0x27 are reserved for extensions, so
 * not used here). Status 0xDEADC0DE.
 */
#include "guest.h"

int main(void)
{
    guest_name = "guest_crash_op";
    printf("guest_crash_op: operation 13\n");
    hv_call(13, 0, 0, 0, 0, 0);
    guest_still_running();
}
