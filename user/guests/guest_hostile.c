/*
 * guest_hostile - a guest that breaks the PebPeb contract (doc/syscalls.md 16) in one chosen
 * way per run: every way the contract says crashes a guest, with garbage in every argument and
 * page tables pointed at garbage. Each run must end this guest alone, with status 0xDEADC0DE
 * and one "hypervisor: guest ... crashed" line; the host and every other task run on, and
 * every frame comes back. user/tests/guest_hammer runs them all, one at a time and several at
 * once (tests/cases/guest_hostile.t).
 *
 * Which way: guests get no arguments, so the launcher leaves the variant number in the
 * cursor of the guest's fresh console (row * 80 + column) before the exec, and the guest
 * reads it back first (hv_cons_get_cursor_pos). A run prints "guest_hostile: N: WHAT", does
 * WHAT, and if it is still running afterwards says so and exits with status 1.
 *
 * Variants 1..BAD_CALLS are hypercalls with bad arguments, from the table bad_calls; the
 * ones after are faults and page-table garbage (bad_faults). Another number prints the count
 * and exits with status 99 (guest_variant).
 */
#include "guest.h"

/* Hypercalls by number (the table of doc/syscalls.md 16). */
enum { OP_IRET = 2, OP_SETIDT = 3, OP_SETPD = 6, OP_ADJUSTPG = 7, OP_PRINT = 8, OP_COLOR = 9,
       OP_SETCUR = 10, OP_GETCUR = 11, OP_PRINT_AT = 12, OP_DISK = 0x20, OP_LOG = 0x21 };

/* Guest-virtual addresses of the paged layout (paged() below). */
#define GOOD        0x00200000u         /* a good buffer: mapped in both layouts */
#define BEYOND      HV_MEM_BYTES        /* the first guest-physical address past memory */
#define V_EDGE      0x00500FF0u         /* 16 bytes before a page that is not present */
#define V_BEYOND    0x00502000u         /* a PTE naming a frame beyond memory */
#define V_RO        0x00503000u         /* read-only (the layout has wp = 1) */
#define V_HOLE      0x00800000u         /* not present: its directory entry is empty */
#define TOP         HV_TOP_VIRTUAL

#define EFLAGS_TF   0x00000100u

/* Which address space a variant needs first. */
enum layout { FLAT, PAGED };

/* One hypercall with bad arguments: hv_call(op, a[0..4]). */
struct bad_call {
    const char *what;
    enum layout layout;
    uint32_t op, a[5];
};

static const struct bad_call bad_calls[] = {
    { "unknown hypercall 13", FLAT, 13, { 0 } },
    { "unknown hypercall 0x1f", FLAT, 0x1F, { 0 } },
    { "unknown hypercall 0x23", FLAT, 0x23, { 0 } },
    { "unknown hypercall 0x80000000", FLAT, 0x80000000u, { 0 } },
    { "unknown hypercall 0xffffffff", FLAT, 0xFFFFFFFFu, { 0 } },
    { "hv_print of -1 bytes", FLAT, OP_PRINT, { -1u, GOOD } },
    { "hv_print of 411 bytes", FLAT, OP_PRINT, { 411, GOOD } },
    { "hv_print of 0x80000000 bytes", FLAT, OP_PRINT, { 0x80000000u, GOOD } },
    { "hv_print from beyond memory (paging off)", FLAT, OP_PRINT, { 10, BEYOND } },
    { "hv_print from 0xffffffff", FLAT, OP_PRINT, { 1, 0xFFFFFFFFu } },
    { "hv_print across the top of guest-virtual", PAGED, OP_PRINT, { 32, TOP - 15 } },
    { "hv_print into a page that is not present", PAGED, OP_PRINT, { 100, V_EDGE } },
    { "hv_print from a frame beyond memory", PAGED, OP_PRINT, { 8, V_BEYOND } },
    { "hv_print_at row 25", FLAT, OP_PRINT_AT, { 1, GOOD, 25, 0, 7 } },
    { "hv_print_at column 80", FLAT, OP_PRINT_AT, { 1, GOOD, 0, 80, 7 } },
    { "hv_print_at row -1", FLAT, OP_PRINT_AT, { 1, GOOD, -1u, 0, 7 } },
    { "hv_print_at colour 0x100", FLAT, OP_PRINT_AT, { 1, GOOD, 0, 0, 0x100 } },
    { "hv_print_at of 411 bytes", FLAT, OP_PRINT_AT, { 411, GOOD, 0, 0, 7 } },
    { "hv_print_at from a hole", PAGED, OP_PRINT_AT, { 4, V_HOLE, 0, 0, 7 } },
    { "hv_cons_set_cursor_pos(25, 0)", FLAT, OP_SETCUR, { 25, 0 } },
    { "hv_cons_set_cursor_pos(0, -1)", FLAT, OP_SETCUR, { 0, -1u } },
    { "hv_cons_set_cursor_pos(0x80000000, 0)", FLAT, OP_SETCUR, { 0x80000000u, 0 } },
    { "hv_cons_set_term_color(0x100)", FLAT, OP_COLOR, { 0x100 } },
    { "hv_cons_set_term_color(-1)", FLAT, OP_COLOR, { -1u } },
    { "hv_cons_get_cursor_pos, row beyond memory", FLAT, OP_GETCUR, { BEYOND, GOOD } },
    { "hv_cons_get_cursor_pos, column beyond memory", FLAT, OP_GETCUR, { GOOD, BEYOND } },
    { "hv_cons_get_cursor_pos into a read-only page", PAGED, OP_GETCUR, { GOOD, V_RO } },
    { "hv_cons_get_cursor_pos at the top", PAGED, OP_GETCUR, { GOOD, TOP - 2 } },
    { "hv_setpd at 24 MiB", FLAT, OP_SETPD, { BEYOND, 1 } },
    { "hv_setpd at 0xfffff000", FLAT, OP_SETPD, { 0xFFFFF000u, 1 } },
    { "hv_adjustpg(0xff000000)", FLAT, OP_ADJUSTPG, { TOP + 1 } },
    { "hv_adjustpg(0xffffffff)", PAGED, OP_ADJUSTPG, { 0xFFFFFFFFu } },
    { "hv_disk_read of 16385 bytes", FLAT, OP_DISK, { 0, 0, GOOD, 16385 } },
    { "hv_disk_read of 0xffffffff bytes", FLAT, OP_DISK, { 0, 0, GOOD, 0xFFFFFFFFu } },
    { "hv_disk_read into memory beyond", FLAT, OP_DISK, { 0, 0, BEYOND - 256, 512 } },
    { "hv_disk_read into a read-only page", PAGED, OP_DISK, { 0, 0, V_RO, 16 } },
    { "hv_log of 411 bytes", FLAT, OP_LOG, { 411, GOOD } },
    { "hv_log of -5 bytes", FLAT, OP_LOG, { -5u, GOOD } },
    { "hv_log from a hole", PAGED, OP_LOG, { 4, V_HOLE } },
};
#define BAD_CALLS ((int)(sizeof bad_calls / sizeof bad_calls[0]))

/*==== Address spaces ====*/

/*
 * The paged layout, wp = 1: [0, 4 MiB) identity-mapped (user too), plus V_EDGE's page (its
 * next page absent), V_BEYOND (frame 24 MiB) and V_RO (read-only). Returns the directory.
 */
static uint32_t *paged(void)
{
    uint32_t *pd = pd_new();

    map_identity(pd, 0, 0x400000, PTE_P | PTE_W | PTE_U);
    map_page(pd, V_EDGE & PTE_FRAME, 0x00201000, PTE_P | PTE_W);
    map_page(pd, V_BEYOND, BEYOND, PTE_P | PTE_W);
    map_page(pd, V_RO, 0x00202000, PTE_P);
    hv_setpd(pd, 1);
    return pd;
}

/* INT 0xDE with op in eax and esp moved to `esp`, where its arguments are to be read. */
static void hypercall_on_stack(uint32_t op, uint32_t esp)
{
    __asm__ volatile("mov %%esp, %%ebx\n\tmov %1, %%esp\n\tint $0xDE\n\tmov %%ebx, %%esp"
                     : : "a"(op), "r"(esp) : "ebx", "memory");
}

/* Loads data selector sel into %ds and touches `linear` through it: host memory. */
static void touch_through_selector(uint32_t sel, uint32_t linear, int write)
{
    __asm__ volatile("mov %%ds, %%ebx\n\tmov %0, %%ds\n\t"
                     "test %2, %2\n\tjz 1f\n\tmovl $0, (%1)\n\tjmp 2f\n"
                     "1:\tmovl (%1), %%eax\n"
                     "2:\tmov %%ebx, %%ds"
                     : : "r"(sel), "r"(linear), "r"(write) : "eax", "ebx", "memory");
}

/* Leaves an unmasked x87 divide-by-zero pending, then fwait raises it (#MF, slot 16). */
static void x87_error(void)
{
    uint16_t cw = 0x037B;               /* the default, with zero-divide unmasked */

    __asm__ volatile("fninit\n\tfldcw %0\n\tfldz\n\tfld1\n\tfdiv %%st(1), %%st\n\tfwait"
                     : : "m"(cw) : "memory");
}

/*==== Faults and page-table garbage: one function each ====*/
/*
 * Where it can be, each is built so that a hypervisor that let the bad thing pass would let
 * the guest run on (to guest_still_running) rather than crash it some other way a moment
 * later: a missing check then fails the test.
 */

/* hv_iret to the next instruction, with one flag the contract refuses. */
static void f_iret_iopl(void) { iret_self(EFLAGS_BASE | 0x3000); }
static void f_iret_nt(void) { iret_self(EFLAGS_BASE | 0x4000); }
static void f_iret_vm(void) { iret_self(EFLAGS_BASE | 0x20000); }
static void f_iret_vif(void) { iret_self(EFLAGS_BASE | 0x80000); }
static void f_iret_vip(void) { iret_self(EFLAGS_BASE | 0x100000); }

/* A directory one word off its page, whose entries 0 and 1 both map the image: read one
 * entry off, it would still work. */
static void f_setpd_unaligned(void)
{
    uint32_t *pd = pd_new();

    map_identity(pd, 0, 0x400000, PTE_P | PTE_W);
    pd[1] = pd[0];
    hv_setpd(pd + 1, 1);
}

/* Exceptions and interrupts whose slot is empty: nowhere to deliver them. */
static void f_ud2(void) { probe_ud2(); }

static void f_divide(void)
{
    __asm__ volatile("xor %%edx, %%edx\n\tmov $1, %%eax\n\tdiv %%ecx" : : "c"(0) : "eax",
                     "edx");
}

static void f_int3(void) { __asm__ volatile("int3"); }
static void f_int_0x99(void) { probe_int_0x99(); }     /* not a slot: a #GP, slot 13 empty */
static void f_x87(void) { x87_error(); }

/* A tick comes 100 times a second of emulated time: spin long enough for several. */
static void f_timer(void)
{
    hv_enable_interrupts();
    spin_cycles(0x40000000u);
}

static void f_single_step(void) { iret_self(EFLAGS_BASE | EFLAGS_TF); }

/* Paging off: guest-physical is guest-virtual, and nothing lies at or past 24 MiB. */
static void f_read_beyond_flat(void)
{
    trap_install(SLOT_PF, NULL, 1);
    probe_read((void *)BEYOND);
}

static void f_write_top_flat(void)
{
    trap_install(SLOT_PF, NULL, 1);
    probe_write((void *)(TOP - 3), 1);
}

/* Guest-virtual past 0xFEFFFFFF wraps into host memory below the guest's 16 MiB base. */
static void f_read_above_top(void)
{
    paged();
    trap_install(SLOT_PF, NULL, 1);
    probe_read((void *)(TOP + 1));
}

static void f_jump_above_top(void)
{
    trap_install(SLOT_PF, NULL, 1);
    ((void (*)(void))0xFFFFF000u)();
}

static void f_iret_above_top(void)
{
    trap_install(SLOT_PF, NULL, 1);
    hv_iret((void *)0xFFFFFFF0u, EFLAGS_BASE, trap_stack_top, 0, 0);
}

/* The host's own flat segments (index 4 data, index 3 code) reach linear addresses below the
 * guest's 16 MiB: the host kernel. Touching it must end the guest, not read or write it. */
static void f_host_read(void) { touch_through_selector(0x23, 0x00010000u, 0); }
static void f_host_write(void) { touch_through_selector(0x23, 0x00100000u, 1); }
static void f_host_code_read(void) { touch_through_selector(0x1B, 0x00000800u, 0); }

/* The delivery frame goes on the guest's stack: here that stack cannot take it. */
static void f_frame_beyond(void)
{
    trap_install(SLOT_UD, NULL, 1);
    ud2_on_stack(BEYOND + 8);
}

static void f_frame_read_only(void)
{
    paged();
    trap_install(SLOT_UD, NULL, 1);
    ud2_on_stack(V_RO + 0x800);
}

static void f_frame_hole(void)
{
    paged();
    trap_install(SLOT_UD, NULL, 1);
    ud2_on_stack(V_HOLE + 0x800);
}

static void f_frame_wraps(void)
{
    trap_install(SLOT_UD, NULL, 1);
    ud2_on_stack(8);
}

/* Hypercall arguments are read from the guest's stack, here from places they cannot be. */
static void f_args_beyond(void) { hypercall_on_stack(OP_IRET, BEYOND - 8); }
static void f_args_top(void) { hypercall_on_stack(OP_SETIDT, TOP - 3); }

static void f_args_hole(void)
{
    paged();
    hypercall_on_stack(1, V_HOLE);      /* hv_exit with its status in a hole */
}

/* Guest-user code that faults; its kernel's delivery stack (esp0) is the bad part. */
static void user_faults(void) { probe_ud2(); user_exit(1); }

static void f_esp0_beyond(void)
{
    static uint8_t stack[1024];

    paged();
    trap_install(SLOT_UD, NULL, 1);
    hv_iret(user_faults, EFLAGS_BASE, stack + sizeof stack, (void *)BEYOND, 0);
}

static void user_reads_hole(void) { probe_read((void *)V_HOLE); user_exit(1); }

static void f_user_pf_unhandled(void)
{
    static uint8_t stack[1024];

    paged();
    enter_user(user_reads_hole, stack + sizeof stack, EFLAGS_BASE);
}

/* Page tables pointing at garbage: nothing mapped, random words, frames beyond memory. */
static void f_empty_directory(void)
{
    trap_install(SLOT_PF, NULL, 1);
    hv_setpd((void *)0, 1);             /* guest-physical page 0: all zero, nothing mapped */
}

/* A directory of random words but for entry 0 (the image); then addresses under them. */
static void f_garbage_directory(void)
{
    uint32_t *pd = pd_new(), x = 0x2545F491u;

    map_identity(pd, 0, 0x400000, PTE_P | PTE_W);
    for (int i = 1; i < 1024; i++)
        pd[i] = x = x * 1103515245u + 12345u;
    hv_setpd(pd, 1);
    trap_install(SLOT_PF, NULL, 1);
    for (uint32_t i = 1; i < 1020; i++)
        probe_read((void *)(i << 22));
}

static void f_pde_beyond(void)
{
    uint32_t *pd = paged();

    pd[7] = 0xFFFFF000u | PTE_P | PTE_W;
    hv_setpd(pd, 1);
    trap_install(SLOT_PF, NULL, 1);
    probe_read((void *)(7u << 22));
}

static void f_pte_beyond(void)
{
    uint32_t *pd = paged();

    map_page(pd, V_HOLE, 0xFFFFF000u, PTE_P | PTE_W);
    hv_adjustpg((void *)V_HOLE);
    trap_install(SLOT_PF, NULL, 1);
    probe_read((void *)V_HOLE);
}

/* Entry 1 points at the directory itself, so its 4 MiB window shows directory entries as
 * frames; entry 5 names 32 MiB. Through the window (page 5 of it) that is a frame beyond. */
static void f_self_map_beyond(void)
{
    uint32_t *pd = paged();

    pd[1] = (uint32_t)pd | PTE_P | PTE_W;
    pd[5] = 0x02000000u | PTE_P | PTE_W;
    hv_setpd(pd, 1);
    trap_install(SLOT_PF, NULL, 1);
    probe_read((void *)((1u << 22) | (5u << 12)));
}

/* Entries 2..1019 all point at the directory; entry 1019 is then rewritten to name a table
 * beyond memory and reached through entry 2's window (its page 1019). */
static void f_self_map_many(void)
{
    uint32_t *pd = paged();

    for (int i = 2; i < 1020; i++)
        pd[i] = (uint32_t)pd | PTE_P | PTE_W;
    hv_setpd(pd, 1);
    trap_install(SLOT_PF, NULL, 1);
    for (uint32_t i = 2; i < 1019; i++)      /* legal so far: 1,017 windows on one frame */
        probe_read((void *)(i << 22));
    pd[1019] = BEYOND | PTE_P | PTE_W;
    probe_read((void *)((2u << 22) | (1019u << 12)));
}

/* Handlers at addresses that cannot run: delivery enters them, and their own fault follows. */
static void f_handler_above_top(void)
{
    hv_setidt(SLOT_UD, (void *)0xFFFFFFF0u, 1);
    probe_ud2();
}

static void f_handler_in_hole(void)
{
    paged();
    hv_setidt(SLOT_UD, (void *)V_HOLE, 1);
    probe_ud2();
}

/* Every handler in a hole: each delivery faults into the next, 20 bytes further down the
 * stack, until the frames run off address 0 (about 3,300 deliveries from 64 KiB). */
static void f_fault_storm(void)
{
    paged();
    hv_setidt(SLOT_UD, (void *)V_HOLE, 1);
    hv_setidt(SLOT_PF, (void *)V_HOLE, 1);
    ud2_on_stack(0x10000);
}

static const struct guest_variant_fn bad_faults[] = {
    { "hv_iret with IOPL 3", f_iret_iopl },
    { "hv_iret with NT", f_iret_nt },
    { "hv_iret with VM", f_iret_vm },
    { "hv_iret with VIF", f_iret_vif },
    { "hv_iret with VIP", f_iret_vip },
    { "hv_setpd not page-aligned", f_setpd_unaligned },
    { "ud2 with no handler", f_ud2 },
    { "divide error with no handler", f_divide },
    { "int3 with no handler", f_int3 },
    { "INT 0x99 from guest-kernel mode, no #GP handler", f_int_0x99 },
    { "x87 error (#MF) with no handler", f_x87 },
    { "timer ticks with no handler", f_timer },
    { "single step (TF) with no handler", f_single_step },
    { "read beyond memory with paging off", f_read_beyond_flat },
    { "write at the top with paging off", f_write_top_flat },
    { "guest-kernel read above 0xfeffffff", f_read_above_top },
    { "guest-kernel jump above 0xfeffffff", f_jump_above_top },
    { "hv_iret to 0xfffffff0", f_iret_above_top },
    { "read host memory through the host's data segment", f_host_read },
    { "write host memory through the host's data segment", f_host_write },
    { "read host memory through the host's code segment", f_host_code_read },
    { "delivery frame beyond memory", f_frame_beyond },
    { "delivery frame on a read-only page", f_frame_read_only },
    { "delivery frame in a hole", f_frame_hole },
    { "delivery frame below address 0", f_frame_wraps },
    { "hypercall arguments beyond memory", f_args_beyond },
    { "hypercall arguments past the top", f_args_top },
    { "hypercall arguments in a hole", f_args_hole },
    { "guest-user fault with esp0 beyond memory", f_esp0_beyond },
    { "guest-user page fault with no handler", f_user_pf_unhandled },
    { "hv_setpd of an empty directory", f_empty_directory },
    { "a directory of random words", f_garbage_directory },
    { "a directory entry naming 0xfffff000", f_pde_beyond },
    { "a page-table entry naming 0xfffff000", f_pte_beyond },
    { "a self-mapped directory showing a frame beyond", f_self_map_beyond },
    { "1,018 entries on the directory, then one beyond", f_self_map_many },
    { "a handler above 0xfeffffff", f_handler_above_top },
    { "a handler in a hole, no page-fault handler", f_handler_in_hole },
    { "every handler in a hole: a storm of faults", f_fault_storm },
};
#define BAD_FAULTS ((int)(sizeof bad_faults / sizeof bad_faults[0]))

int main(void)
{
    int v;

    guest_name = "guest_hostile";
    v = guest_variant(BAD_CALLS + BAD_FAULTS);
    if (v <= BAD_CALLS) {
        const struct bad_call *c = &bad_calls[v - 1];
        if (c->layout == PAGED)
            paged();
        printf("guest_hostile: %d: %s\n", v, c->what);
        hv_call(c->op, c->a[0], c->a[1], c->a[2], c->a[3], c->a[4]);
    } else {
        printf("guest_hostile: %d: %s\n", v, bad_faults[v - BAD_CALLS - 1].what);
        bad_faults[v - BAD_CALLS - 1].run();
    }
    guest_still_running();
}
