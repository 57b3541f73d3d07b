/*
 * guest_crash_length - hv_print of 411 bytes (one more than allowed) crashes the guest
 * (doc/syscalls.md 16). Status 0xDEADC0DE; the buffer's text must not appear.
 */
#include "guest.h"

int main(void)
{
    static char buf[411];

    guest_name = "guest_crash_length";
    memset(buf, 'L', sizeof buf);
    printf("guest_crash_length: hv_print of 411 bytes\n");
    hv_print(411, buf);
    guest_still_running();
}
