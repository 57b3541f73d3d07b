/*
 * guest_crash_pointer - hv_print of a buffer that runs past the end of guest memory crashes
 * the guest (doc/syscalls.md 16). Paging is off; the 32 bytes start 16 below 24 MiB. Status
 * 0xDEADC0DE, and none of the 16 valid bytes may have been printed alone.
 */
#include "guest.h"

int main(void)
{
    char *p = (char *)(HV_MEM_BYTES - 16);

    guest_name = "guest_crash_pointer";
    memcpy(p, "PARTIAL-PRINT-1", 16);
    printf("guest_crash_pointer: hv_print across the end of memory\n");
    hv_print(32, p);
    guest_still_running();
}
