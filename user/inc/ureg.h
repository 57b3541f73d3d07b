/*
 * ureg.h - the register dump a swexn handler receives (doc/syscalls.md section 9).
 *
 * The kernel builds one ureg_t on the exception stack when a user-mode fault is
 * delivered, and swexn() can load one back into the CPU. The field order is part of
 * the kernel interface: do not reorder.
 */
#ifndef _UREG_H
#define _UREG_H

/* x86 exception vectors, as found in ureg_t.cause. */
#define SWEXN_CAUSE_DIVIDE      0x00    /* divide by zero or quotient too big */
#define SWEXN_CAUSE_DEBUG       0x01    /* single step (TF) and debug registers */
#define SWEXN_CAUSE_BREAKPOINT  0x03    /* int3 */
#define SWEXN_CAUSE_OVERFLOW    0x04    /* into with OF set */
#define SWEXN_CAUSE_BOUNDCHECK  0x05    /* bound instruction */
#define SWEXN_CAUSE_OPCODE      0x06    /* invalid opcode */
#define SWEXN_CAUSE_NOFPU       0x07    /* device (FPU) not available */
#define SWEXN_CAUSE_SEGFAULT    0x0B    /* segment not present */
#define SWEXN_CAUSE_STACKFAULT  0x0C    /* stack segment fault */
#define SWEXN_CAUSE_PROTFAULT   0x0D    /* general protection */
#define SWEXN_CAUSE_PAGEFAULT   0x0E    /* page fault: cr2 holds the address */
#define SWEXN_CAUSE_FPUFAULT    0x10    /* x87 floating point error */
#define SWEXN_CAUSE_ALIGNFAULT  0x11    /* alignment check (AC flag) */
#define SWEXN_CAUSE_SIMDFAULT   0x13    /* SSE floating point error */

typedef struct ureg_t {
    unsigned int cause;         /* exception vector, SWEXN_CAUSE_* */
    unsigned int cr2;           /* faulting address if cause is a page fault, else 0 */

    unsigned int ds;
    unsigned int es;
    unsigned int fs;
    unsigned int gs;

    /* The general registers in the order "pusha" stores them. */
    unsigned int edi;
    unsigned int esi;
    unsigned int ebp;
    unsigned int zero;          /* pusha's copy of %esp; always 0 here */
    unsigned int ebx;
    unsigned int edx;
    unsigned int ecx;
    unsigned int eax;

    /* What the CPU pushes for a fault, error code first (0 if it pushes none). */
    unsigned int error_code;
    unsigned int eip;
    unsigned int cs;
    unsigned int eflags;
    unsigned int esp;
    unsigned int ss;
} ureg_t;

_Static_assert(sizeof(ureg_t) == 20 * 4, "ureg_t must be the kernel's 20 words");

#endif /* _UREG_H */
