/*
 * swexn_basic - a swexn handler receives every fault the CPU can raise in user mode, sees the
 * faulting context exactly, fixes it and resumes the program (doc/syscalls.md 9).
 *
 * Each case is a small assembly stub that loads known values into every general register,
 * notes %esp and %eflags, executes one faulting instruction, and on its way out notes the
 * registers again. The handler copies what it received, fixes the fault (skips the
 * instruction, maps the missing page, clears the x87 error) and resumes with
 * swexn(esp3, handler, arg, ureg), which also registers it again. main then checks:
 *   - cause, cr2, error code, %eip (the instruction for faults, the next one for traps),
 *     %esp, every general register, the segment registers, %eflags, zero == 0;
 *   - the exception stack: ureg copy, pointer to it, arg, return address 0, just below
 *     esp3 rounded down to a multiple of 4; the handler starts with TF and DF clear;
 *   - after the resume: the registers and %eflags are those of the (fixed) ureg.
 * One case faults again inside the handler after registering a second handler, which must
 * get that fault. The alignment check (cause 17) needs CR0.AM, which the kernel may leave
 * off, and QEMU does not emulate it at all: then the misaligned access simply succeeds and
 * the case is reported as skipped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <syscall.h>
#include "testlib.h"
#include "fault_ud2.h"

#define EFLAGS_CF       0x00000001u
#define EFLAGS_TF       0x00000100u
#define EFLAGS_DF       0x00000400u
#define EFLAGS_RF       0x00010000u     /* the CPU may set it in a fault's copy: ignored */
#define EFLAGS_AC       0x00040000u
#define USER_CS         user_cs()
#define USER_SS         user_ss()

#define PF_READ_ADDR    0x30000124u     /* unmapped until the handler maps it */
#define PF_WRITE_ADDR   0x30002248u
#define KERNEL_ADDR     0x00100000u
#define MARKER          0x600DF00Du     /* what the handler leaves at PF_READ_ADDR */

/* The values every stub loads before its faulting instruction. */
#define K_EAX 0x0EAA0001
#define K_EBX 0x0EBB0002
#define K_ECX 0x0ECC0003
#define K_EDX 0x0EDD0004
#define K_ESI 0x0E510005
#define K_EDI 0x0ED10006
#define K_EBP 0x0EB70007
#define STR(x) #x
#define XSTR(x) STR(x)

/* Registers as the stubs note them: eax ebx ecx edx esi edi ebp. */
enum { R_EAX, R_EBX, R_ECX, R_EDX, R_ESI, R_EDI, R_EBP, NREGS };
static const unsigned int known[NREGS] = { K_EAX, K_EBX, K_ECX, K_EDX, K_ESI, K_EDI, K_EBP };

/* Written by the stubs (assembly refers to them by name, hence not static). */
unsigned int fault_esp, fault_eflags;           /* just before the faulting instruction */
unsigned int after_regs[NREGS], after_esp, after_eflags;     /* once resumed */
/* Operands of the faulting instructions. */
unsigned int zero_word;                         /* divisor 0, and 0.0 as a float */
unsigned int bound_pair[2] = { 0, 0x100 };      /* K_EAX lies outside */
unsigned short fpu_cw_zero_divide = 0x037B;     /* default 0x037F with ZM (bit 2) unmasked */
unsigned int align_buf[2];
const unsigned int ro_word = 1;                 /* .rodata: read-only */

/*
 * FAULT_STUB(name, setup, insn) defines void name(void) and the labels name_at (the first
 * instruction of insn) and name_resume (right after insn). Its steps in C terms:
 *   save the callee-saved registers; setup; eax..ebp = K_EAX..K_EBP;
 *   fault_eflags = eflags; fault_esp = esp; insn; after_regs = eax..ebp;
 *   after_esp = esp; after_eflags = eflags; clear DF, AC and TF; restore and return.
 * setup may change the flags (the loads that follow are movs, which leave them alone).
 */
#define FAULT_STUB(name, setup, insn)                                                       \
    __asm__(".text\n.globl " #name "\n" #name ":\n"                                         \
            "    pushl %ebp\n    pushl %ebx\n    pushl %esi\n    pushl %edi\n"              \
            setup "\n"                                                                      \
            "    movl $" XSTR(K_EAX) ", %eax\n    movl $" XSTR(K_EBX) ", %ebx\n"            \
            "    movl $" XSTR(K_ECX) ", %ecx\n    movl $" XSTR(K_EDX) ", %edx\n"            \
            "    movl $" XSTR(K_ESI) ", %esi\n    movl $" XSTR(K_EDI) ", %edi\n"            \
            "    movl $" XSTR(K_EBP) ", %ebp\n"                                             \
            "    pushfl\n    popl fault_eflags\n"                                           \
            "    movl %esp, fault_esp\n"                                                    \
            ".globl " #name "_at\n" #name "_at:\n"                                          \
            "    " insn "\n"                                                                \
            ".globl " #name "_resume\n" #name "_resume:\n"                                  \
            "    movl %eax, after_regs\n    movl %ebx, after_regs+4\n"                      \
            "    movl %ecx, after_regs+8\n    movl %edx, after_regs+12\n"                   \
            "    movl %esi, after_regs+16\n    movl %edi, after_regs+20\n"                  \
            "    movl %ebp, after_regs+24\n    movl %esp, after_esp\n"                      \
            "    pushfl\n    popl after_eflags\n"                                           \
            "    cld\n"                                                                     \
            "    pushfl\n    andl $0xFFFBFEFF, (%esp)\n    popfl\n"    /* AC, TF off */     \
            "    popl %edi\n    popl %esi\n    popl %ebx\n    popl %ebp\n    ret\n");       \
    void name(void);                                                                        \
    extern char name##_at[], name##_resume[]

FAULT_STUB(stub_pf_read, "", "movl " XSTR(PF_READ_ADDR) ", %eax");
FAULT_STUB(stub_divide, "", "divl zero_word");
FAULT_STUB(stub_pf_write, "", "movl %eax, " XSTR(PF_WRITE_ADDR));
FAULT_STUB(stub_int3, "", "int3");
/* cmp 0x80000000 - 1 overflows: OF = 1, so into traps. */
FAULT_STUB(stub_into, "    movl $0x80000000, %ecx\n    cmpl $1, %ecx", "into");
FAULT_STUB(stub_bound, "", "bound %eax, bound_pair");
FAULT_STUB(stub_ud2, "", "ud2");
FAULT_STUB(stub_ud2_df, "    std", "ud2");              /* the handler must start with DF 0 */
FAULT_STUB(stub_cli, "", "cli");
FAULT_STUB(stub_hlt, "", "hlt");
FAULT_STUB(stub_int14, "", "int $0x0e");        /* gate not callable from ring 3: #GP */
FAULT_STUB(stub_pf_kernel, "", "movl " XSTR(KERNEL_ADDR) ", %eax");
FAULT_STUB(stub_pf_null, "", "movl 0, %eax");
FAULT_STUB(stub_pf_rodata, "", "movl %eax, ro_word");
/* TF set by popf: the trap comes after the instruction that follows (the nop). */
FAULT_STUB(stub_debug, "", "pushfl\n    orl $0x100, (%esp)\n    popfl\n    nop");
/* 1.0 / 0.0 with the zero-divide exception unmasked; the next waiting instruction (fwait)
 * raises #MF. The yield in between lets the kernel switch with an x87 error pending. */
FAULT_STUB(stub_x87, "    fninit\n    fldcw fpu_cw_zero_divide\n    fld1\n    fdivs zero_word\n"
                     "    pushl $-1\n    call yield\n    addl $4, %esp", "fwait");
FAULT_STUB(stub_align, "    pushfl\n    orl $0x40000, (%esp)\n    popfl",
           "movl %eax, align_buf+1");

/* How the handler fixes a fault before resuming. */
enum fix {
    FIX_SKIP,           /* resume at name_resume (for a trap that is where it stopped) */
    FIX_MAP_READ,       /* map the page, put MARKER there, run the instruction again */
    FIX_MAP_WRITE,      /* map the page, run the instruction again */
    FIX_FPU,            /* clear the x87 error (fnclex), run fwait again */
    FIX_NESTED,         /* register a second handler, fault in the handler, then skip */
};

struct fault_case {
    const char *name;
    void (*stub)(void);
    char *at, *resume;
    unsigned int cause;
    int trap;                   /* %eip reported is resume (trap) or at (fault) */
    unsigned int cr2;
    unsigned int err, err_mask; /* (error_code & err_mask) == err */
    enum fix fix;
    unsigned int eflags_extra;  /* flags set by the instruction itself (TF) */
    unsigned int after_eax;     /* %eax once resumed */
    int esp3_offset;            /* main registers with esp3 = top of the exception stack
                                 * minus this (the kernel must round it down) */
    int main_registers;         /* else the handler's own re-registration is in force */
};

#define CASE(n, c) #n, stub_##n, stub_##n##_at, stub_##n##_resume, c
static const struct fault_case cases[] = {
    { CASE(pf_read, 14), 0, PF_READ_ADDR, 4, 7, FIX_MAP_READ, 0, MARKER, 0, 1 },
    { CASE(divide, 0), 0, 0, 0, ~0u, FIX_SKIP, 0, K_EAX, 0, 0 },
    { CASE(pf_write, 14), 0, PF_WRITE_ADDR, 6, 7, FIX_MAP_WRITE, 0, K_EAX, 2, 1 },
    { CASE(int3, 3), 1, 0, 0, ~0u, FIX_SKIP, 0, K_EAX, 3, 1 },
    { CASE(into, 4), 1, 0, 0, ~0u, FIX_SKIP, 0, K_EAX, 0, 0 },
    { CASE(bound, 5), 0, 0, 0, ~0u, FIX_SKIP, 0, K_EAX, 0, 0 },
    { CASE(ud2, 6), 0, 0, 0, ~0u, FIX_SKIP, 0, K_EAX, 1, 1 },
    { CASE(ud2_df, 6), 0, 0, 0, ~0u, FIX_SKIP, 0, K_EAX, 0, 0 },
    { CASE(cli, 13), 0, 0, 0, ~0u, FIX_SKIP, 0, K_EAX, 0, 0 },
    { CASE(hlt, 13), 0, 0, 0, ~0u, FIX_SKIP, 0, K_EAX, 0, 0 },
    { CASE(int14, 13), 0, 0, 0x72, ~0u, FIX_SKIP, 0, K_EAX, 0, 0 },   /* IDT entry 14 */
    { CASE(pf_kernel, 14), 0, KERNEL_ADDR, 4, 6, FIX_SKIP, 0, K_EAX, 0, 0 },
    { CASE(pf_null, 14), 0, 0, 4, 6, FIX_SKIP, 0, K_EAX, 0, 0 },
    { CASE(pf_rodata, 14), 0, 0 /* &ro_word */, 7, 7, FIX_SKIP, 0, K_EAX, 0, 0 },
    { CASE(debug, 1), 1, 0, 0, ~0u, FIX_SKIP, EFLAGS_TF, K_EAX, 0, 0 },
    { CASE(x87, 16), 0, 0, 0, ~0u, FIX_FPU, 0, K_EAX, 0, 0 },
    { CASE(ud2, 6), 0, 0, 0, ~0u, FIX_NESTED, 0, K_EAX, 0, 1 },
    { CASE(align, 17), 0, 0, 0, ~0u, FIX_SKIP, 0, K_EAX, 0, 0 },
};
#define NCASES ((int)(sizeof cases / sizeof cases[0]))

#define EXN_STACK_SIZE (8 * 1024)       /* the handler may printf */
static char exn_stack[EXN_STACK_SIZE] __attribute__((aligned(16)));
static char inner_stack[EXN_STACK_SIZE] __attribute__((aligned(16)));
#define EXN_TOP (exn_stack + EXN_STACK_SIZE)
#define INNER_TOP (inner_stack + EXN_STACK_SIZE)

static int cookie, inner_cookie;        /* their addresses are the handlers' args */
static const struct fault_case *cur;    /* the case being run */
static char *cur_esp3;                  /* esp3 the handler registers itself with */

/* What the handler saw. */
static volatile int handler_calls;
static ureg_t seen;
static void *seen_arg;
static ureg_t *seen_ureg;
unsigned int entry_esp, entry_eflags;   /* set by handler_entry */
static unsigned int entry_slots[3];     /* return address, arg, ureg pointer */
static volatile int inner_calls;
static ureg_t inner_seen;
static void *inner_arg;

/*
 * The handler's entry point, in assembly so it can note %esp and %eflags exactly as the
 * kernel left them: entry_esp = esp; entry_eflags = eflags; goto exn_handler (a C function,
 * which then runs as if called by the kernel).
 */
void handler_entry(void *arg, ureg_t *ureg);
static void exn_handler(void *arg, ureg_t *ureg) __attribute__((used));
__asm__(".text\n"
        "handler_entry:\n"
        "    movl %esp, entry_esp\n"
        "    pushfl\n"
        "    popl entry_eflags\n"
        "    jmp exn_handler\n");


/* The second handler: notes the fault, skips the ud2, resumes without a handler. */
static void inner_handler(void *arg, ureg_t *ureg)
{
    inner_calls++;
    inner_seen = *ureg;
    inner_arg = arg;
    ureg->eip = (unsigned int)fault_ud2_resume;
    swexn(NULL, NULL, NULL, ureg);
    printf("swexn_basic: FAILED: the inner handler could not resume\n");
    task_vanish(1);
}

/* Applies cur->fix to *ureg (and to memory). */
static void fix_up(ureg_t *ureg)
{
    unsigned int page = ureg->cr2 & ~(unsigned int)(PAGE_SIZE - 1);

    switch (cur->fix) {
    case FIX_SKIP:
        ureg->eip = (unsigned int)cur->resume;
        break;
    case FIX_MAP_READ:
        if (new_pages((void *)page, PAGE_SIZE) == 0)
            *(volatile unsigned int *)ureg->cr2 = MARKER;
        break;
    case FIX_MAP_WRITE:
        new_pages((void *)page, PAGE_SIZE);     /* on failure the check of the value tells */
        break;
    case FIX_FPU:
        __asm__ volatile("fnclex");             /* this thread's x87: the error is gone */
        break;
    case FIX_NESTED:
        if (swexn(INNER_TOP, inner_handler, &inner_cookie, NULL) == 0)
            fault_ud2();
        ureg->eip = (unsigned int)cur->resume;
        break;
    }
    ureg->eflags &= ~EFLAGS_TF;                 /* single-stepped once is enough */
}

static void exn_handler(void *arg, ureg_t *ureg)
{
    unsigned int *slots = (unsigned int *)entry_esp;

    handler_calls++;
    seen = *ureg;
    seen_arg = arg;
    seen_ureg = ureg;
    entry_slots[0] = slots[0];
    entry_slots[1] = slots[1];
    entry_slots[2] = slots[2];
    fix_up(ureg);
    swexn(cur_esp3, handler_entry, arg, ureg);  /* register again and resume */
    printf("swexn_basic: FAILED: %s: swexn refused to resume (eflags 0x%x)\n", cur->name,
           ureg->eflags);
    task_vanish(1);
}

static unsigned int read_seg(int which)
{
    unsigned short v = 0;

    switch (which) {
    case 0: __asm__ volatile("movw %%ds, %0" : "=r"(v)); break;
    case 1: __asm__ volatile("movw %%es, %0" : "=r"(v)); break;
    case 2: __asm__ volatile("movw %%fs, %0" : "=r"(v)); break;
    default: __asm__ volatile("movw %%gs, %0" : "=r"(v)); break;
    }
    return v;
}

/* One failed check of case c. */
static void fail(const struct fault_case *c, const char *what, unsigned int got,
                 unsigned int want)
{
    printf("swexn_basic: FAILED: %s (cause %u): %s is 0x%x, expected 0x%x\n", c->name,
           c->cause, what, got, want);
    test_failures++;
}

/* got and want compared (and printed) as 32-bit words, pointers included. */
#define EXPECT(c, what, got, want)                                                      \
    do {                                                                                \
        unsigned int got_ = (unsigned int)(got), want_ = (unsigned int)(want);          \
        if (got_ != want_)                                                              \
            fail(c, what, got_, want_);                                                 \
    } while (0)

/* The registers and segments in the ureg the handler got. */
static void check_ureg_regs(const struct fault_case *c)
{
    const unsigned int got[NREGS] = { seen.eax, seen.ebx, seen.ecx, seen.edx, seen.esi,
                                      seen.edi, seen.ebp };
    static const char *const names[NREGS] = { "ureg eax", "ureg ebx", "ureg ecx", "ureg edx",
                                              "ureg esi", "ureg edi", "ureg ebp" };
    int i;

    for (i = 0; i < NREGS; i++)
        EXPECT(c, names[i], got[i], known[i]);
    EXPECT(c, "ureg zero", seen.zero, 0);
    EXPECT(c, "ureg esp", seen.esp, fault_esp);
    EXPECT(c, "ureg cs", seen.cs, USER_CS);
    EXPECT(c, "ureg ss", seen.ss, USER_SS);
    EXPECT(c, "ureg ds", seen.ds, read_seg(0));
    EXPECT(c, "ureg es", seen.es, read_seg(1));
    EXPECT(c, "ureg fs", seen.fs, read_seg(2));
    EXPECT(c, "ureg gs", seen.gs, read_seg(3));
    EXPECT(c, "ureg eflags", seen.eflags & ~EFLAGS_RF, fault_eflags | c->eflags_extra);
}

/* Where the kernel put things, and how the handler was started. */
static void check_delivery(const struct fault_case *c, char *esp3)
{
    unsigned int top = (unsigned int)esp3 & ~3u;
    unsigned int cr2 = c->stub == stub_pf_rodata ? (unsigned int)&ro_word : c->cr2;

    EXPECT(c, "ureg cause", seen.cause, c->cause);
    EXPECT(c, "ureg cr2", seen.cr2, cr2);
    EXPECT(c, "ureg error_code (masked)", seen.error_code & c->err_mask, c->err);
    EXPECT(c, "ureg eip", seen.eip, c->trap ? c->resume : c->at);
    EXPECT(c, "handler arg", seen_arg, &cookie);
    EXPECT(c, "ureg address", seen_ureg, top - sizeof(ureg_t));
    EXPECT(c, "handler entry esp", entry_esp, top - sizeof(ureg_t) - 12);
    EXPECT(c, "return address", entry_slots[0], 0);
    EXPECT(c, "arg on the stack", entry_slots[1], &cookie);
    EXPECT(c, "ureg pointer on the stack", entry_slots[2], top - sizeof(ureg_t));
    EXPECT(c, "handler TF and DF", entry_eflags & (EFLAGS_TF | EFLAGS_DF), 0);
}

/* The registers once resumed, and what the fix-up left in memory. */
static void check_after(const struct fault_case *c)
{
    unsigned int want_flags = fault_eflags;
    int i;

    EXPECT(c, "eax after resume", after_regs[R_EAX], c->after_eax);
    for (i = R_EBX; i < NREGS; i++)
        EXPECT(c, "register after resume", after_regs[i], known[i]);
    EXPECT(c, "esp after resume", after_esp, fault_esp);
    EXPECT(c, "eflags after resume", after_eflags & ~EFLAGS_RF, want_flags);
    if (c->fix == FIX_MAP_WRITE)
        EXPECT(c, "word written after the page was mapped",
               *(volatile unsigned int *)PF_WRITE_ADDR, K_EAX);
    if (c->fix == FIX_MAP_READ || c->fix == FIX_MAP_WRITE)
        EXPECT(c, "remove_pages", remove_pages((void *)(c->cr2 & ~(PAGE_SIZE - 1u))), 0);
    if (c->fix == FIX_FPU)
        __asm__ volatile("fninit");             /* drop the infinity and the unmasking */
    if (c->fix == FIX_NESTED) {
        EXPECT(c, "inner handler calls", inner_calls, 1);
        EXPECT(c, "inner arg", inner_arg, &inner_cookie);
        EXPECT(c, "inner cause", inner_seen.cause, SWEXN_CAUSE_OPCODE);
        EXPECT(c, "inner eip", inner_seen.eip, fault_ud2_at);
        EXPECT(c, "inner esp inside the outer exception stack",
               inner_seen.esp > (unsigned int)exn_stack && inner_seen.esp < (unsigned int)EXN_TOP,
               1);
    }
}

static void run_case(const struct fault_case *c)
{
    int calls = handler_calls;

    cur = c;
    if (c->main_registers) {
        cur_esp3 = EXN_TOP - c->esp3_offset;
        EXPECT(c, "swexn register", swexn(cur_esp3, handler_entry, &cookie, NULL), 0);
    }
    c->stub();
    if (c->cause == SWEXN_CAUSE_ALIGNFAULT && handler_calls == calls) {
        /* CR0.AM off, or an emulator that does not check alignment (QEMU's TCG) */
        printf("swexn_basic: alignment check not delivered: skipped\n");
        return;
    }
    EXPECT(c, "handler calls", handler_calls - calls, 1);
    if (handler_calls - calls != 1)
        return;
    check_delivery(c, cur_esp3);
    check_ureg_regs(c);
    check_after(c);
}

int main(void)
{
    int i;

    test_start("swexn_basic");
    for (i = 0; i < NCASES; i++)
        run_case(&cases[i]);
    CHECK_INT(swexn(NULL, NULL, NULL, NULL), 0);        /* our handler off again */
    printf("swexn_basic: %d faults delivered\n", handler_calls);
    return test_finish();
}
