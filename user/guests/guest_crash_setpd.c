/*
 * guest_crash_setpd - hv_setpd of a page directory beyond the guest's 24 MiB crashes the
 * guest (doc/syscalls.md 16). Status 0xDEADC0DE.
 */
#include "guest.h"

int main(void)
{
    guest_name = "guest_crash_setpd";
    printf("guest_crash_setpd: hv_setpd at 24 MiB\n");
    hv_setpd((void *)HV_MEM_BYTES, 1);
    guest_still_running();
}
