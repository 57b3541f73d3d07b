/*
 * guest_crash_nt - hv_iret with NT (nested task) in eflags crashes the guest (doc/syscalls.md 16).
 * Status 0xDEADC0DE.
 */
#include "guest.h"

static uint8_t stack[1024] __attribute__((aligned(16)));

int main(void)
{
    guest_name = "guest_crash_nt";
    printf("guest_crash_nt: hv_iret with NT\n");
    hv_iret(guest_still_running, EFLAGS_BASE | EFLAGS_IF | 0x4000, stack + sizeof stack, 0, 0);
}
