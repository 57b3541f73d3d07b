/*
 * guest_crash_args - a hypercall whose arguments cannot be read crashes the guest
 * (doc/syscalls.md 16): hv_print (op 8) with esp at the very end of guest memory, so its arguments
 * lie beyond it. Status 0xDEADC0DE.
 */
#include "guest.h"

int main(void)
{
    guest_name = "guest_crash_args";
    printf("guest_crash_args: hv_print with esp at 24 MiB\n");
    __asm__ volatile("movl %%esp, %%ebx\n\t"
                     "movl %0, %%esp\n\t"
                     "movl $8, %%eax\n\t"
                     "int $0xDE\n\t"
                     "movl %%ebx, %%esp" : : "i"(HV_MEM_BYTES) : "eax", "ebx", "memory");
    guest_still_running();
}
