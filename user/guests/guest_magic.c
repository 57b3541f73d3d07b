/*
 * guest_magic - the launch contract and the simplest hypercalls (doc/syscalls.md 16).
 *
 * Checks the registers the guest starts with (eax 0x15410DE0, ebx the highest frame number
 * of 24 MiB, ecx 0xFEFFFFFF, the others 0), that hv_magic returns 0xC001C0DE and that a
 * hypercall changes no register but eax (a stub that only saves what C needs would not
 * notice), that INT 0xDE's arguments are read from the stack with no return address, and
 * that the image was copied in (initialised data) and the rest of memory is zero (bss, and a
 * page far above the image). Ends with hv_exit(main's value): 0, as tests/cases/guest_magic.t
 * expects; guest_exit checks another status.
 */
#include "guest.h"

static uint32_t initialised = 0x5EED1234;       /* .data: copied from the ELF */
static uint32_t zeroed[64];                     /* .bss: zero */

/*
 * Loads every register but eax and esp with a pattern, makes operation `op` with no
 * arguments, and returns a mask of the registers that changed (1 ebx, 2 ecx, 4 edx, 8 esi,
 * 16 edi, 32 ebp, 64 esp); *eax_out is eax after the call.
 */
static uint32_t regs_changed_by(uint32_t op, uint32_t *eax_out)
{
    uint32_t mask, eax;

    __asm__ volatile(
        "pushl %%ebp\n\t"
        "pushl %%ebx\n\t"
        "movl %%esp, %%edi\n\t"          /* esp to compare with */
        "pushl %%edi\n\t"
        "movl $0x11111111, %%ebx\n\t"
        "movl $0x22222222, %%ecx\n\t"
        "movl $0x33333333, %%edx\n\t"
        "movl $0x44444444, %%esi\n\t"
        "movl $0x55555555, %%edi\n\t"
        "movl $0x66666666, %%ebp\n\t"
        "int $0xDE\n\t"
        "pushl %%eax\n\t"               /* eax, then work out the mask in eax */
        "xorl %%eax, %%eax\n\t"
        "cmpl $0x11111111, %%ebx\n\t"  "je 1f\n\t"  "orl $1, %%eax\n"
        "1: cmpl $0x22222222, %%ecx\n\t" "je 1f\n\t" "orl $2, %%eax\n"
        "1: cmpl $0x33333333, %%edx\n\t" "je 1f\n\t" "orl $4, %%eax\n"
        "1: cmpl $0x44444444, %%esi\n\t" "je 1f\n\t" "orl $8, %%eax\n"
        "1: cmpl $0x55555555, %%edi\n\t" "je 1f\n\t" "orl $16, %%eax\n"
        "1: cmpl $0x66666666, %%ebp\n\t" "je 1f\n\t" "orl $32, %%eax\n"
        "1: popl %%ecx\n\t"             /* eax after the call */
        "popl %%edx\n\t"                /* esp before it */
        "cmpl %%esp, %%edx\n\t" "je 1f\n\t" "orl $64, %%eax\n"
        "1: popl %%ebx\n\t"
        "popl %%ebp\n\t"
        : "=a"(mask), "=c"(eax)
        : "a"(op)
        : "edx", "esi", "edi", "memory", "cc");
    *eax_out = eax;
    return mask;
}

/* hv_print with the arguments placed by hand: len at (esp), buf at 4(esp), no return address. */
static void print_by_hand(const char *s)
{
    __asm__ volatile(
        "pushl %1\n\t"
        "pushl %0\n\t"
        "movl $8, %%eax\n\t"
        "int $0xDE\n\t"
        "addl $8, %%esp"
        : : "r"(strlen(s)), "r"(s) : "eax", "memory");
}

int main(void)
{
    uint32_t eax, changed;

    guest_name = "guest_magic";
    printf("guest_magic: entry eax %x ebx %d ecx %x\n", entry_regs[0], entry_regs[1],
           entry_regs[2]);
    CHECK_EQ(entry_regs[0], HV_ENTRY_MAGIC);
    CHECK_EQ(entry_regs[1], HV_MEM_BYTES / PAGE_SIZE - 1);         /* 6143 */
    CHECK_EQ(entry_regs[2], HV_TOP_VIRTUAL);
    CHECK_EQ(entry_regs[3], 0);                                     /* edx */
    CHECK_EQ(entry_regs[4], 0);                                     /* esi */
    CHECK_EQ(entry_regs[5], 0);                                     /* edi */
    CHECK_EQ(entry_regs[6], 0);                                     /* ebp */

    CHECK_EQ(hv_magic(), HV_MAGIC);
    changed = regs_changed_by(0, &eax);
    CHECK_EQ(eax, HV_MAGIC);
    CHECK_EQ(changed, 0);
    changed = regs_changed_by(4, &eax);                 /* hv_disable_interrupts */
    CHECK_EQ(changed, 0);

    print_by_hand("guest_magic: printed by hand\n");

    CHECK_EQ(initialised, 0x5EED1234);
    for (int i = 0; i < 64; i++)
        CHECK_EQ(zeroed[i], 0);
    /* Paging is off: guest-virtual is guest-physical; the last word of the 24 MiB too. */
    CHECK_EQ(*(volatile uint32_t *)0x00A00000, 0);
    CHECK_EQ(*(volatile uint32_t *)(HV_MEM_BYTES - 4), 0);
    *(volatile uint32_t *)(HV_MEM_BYTES - 4) = 0xC0FFEE;
    CHECK_EQ(*(volatile uint32_t *)(HV_MEM_BYTES - 4), 0xC0FFEE);
    return guest_finish();
}
