/*
 * guest_crash_iopl - hv_iret with IOPL 3 in eflags crashes the guest (doc/syscalls.md 16): a guest
 * must never reach I/O ports. Status 0xDEADC0DE.
 */
#include "guest.h"

static uint8_t stack[1024] __attribute__((aligned(16)));

int main(void)
{
    guest_name = "guest_crash_iopl";
    printf("guest_crash_iopl: hv_iret with IOPL 3\n");
    hv_iret(guest_still_running, EFLAGS_BASE | 0x3000, stack + sizeof stack, 0, 0);
}
