/*
 * guest_user - guest-user mode: hv_iret into it, and every way back (doc/syscalls.md 16).
 *
 * The guest maps its image user-accessible and a few pages otherwise, then enters guest-user
 * mode with hv_iret (esp0 = the library's trap stack) and runs probes there, recording what
 * each delivery looked like; back in guest-kernel mode it checks them:
 *   - page faults from user mode: an unmapped page (error 4 read, 6 write), a supervisor
 *     page (5, 7), a user page under a supervisor directory entry (5), a user read-only page
 *     written (7); cr2 the address, the frame at esp0 - 24 with marker 0x13370000 and the
 *     user esp; user pages themselves read and written freely;
 *   - INT 0x80 and INT 0x83 to non-privileged slots: delivered there with error code 0, eip
 *     after the INT, the user esp exactly; the handler's changed eax comes back to user mode;
 *   - INT 0x42 and INT 0x20 to privileged slots, INT 0x41 to an empty slot, INT 0x99 to a
 *     slot the hypervisor ignored, INT 0xDE (hypercalls are for the guest kernel): #GP (13)
 *     with error code n*8+2 and eip at the INT; cli and hlt: #GP with error 0;
 *   - a timer tick in user mode: the user frame, and user mode resumed.
 * In guest-kernel mode, for comparison: INT 0x42, 0x20 and 0x83 reach their slots (eip after
 * the INT), INT 0x41 is #GP (eip at the INT), cli is #GP, the supervisor pages are readable.
 * The INT numbers are chosen to meet each kind of host gate: 0x41/0x42 are Pebbles system
 * calls (open to host programs), 0x20 the host's timer IRQ (closed), 0x83 and 0x99 unused.
 */
#include "guest.h"

#define U_DATA      0x00210000u         /* user, writable */
#define U_RO        0x00211000u         /* user, read-only */
#define SUPER       0x00212000u         /* supervisor */
#define U_HOLE      0x00213000u         /* not present */
#define V_SUP_PDE   0x00400000u         /* user PTE under a supervisor PDE */

extern char guest_end[];

struct result {
    uint32_t vector, cr2, error, eip, marker, user_esp, frame;
};

enum probe_kind {
    R_DATA, W_DATA, R_RO, W_RO, R_SUPER, W_SUPER, R_HOLE, W_HOLE, R_SUP_PDE,
    INT_80, INT_83, INT_42, INT_20, INT_41, INT_99, INT_DE, CLI, HLT, N_PROBES
};

static struct result results[N_PROBES];
static uint32_t int80_esp, int80_eax, int80_esp_seen;
static uint8_t user_stack[4096] __attribute__((aligned(16)));
static volatile uint32_t user_ticks, user_tick_marker, user_tick_esp;

static void record(enum probe_kind k, int vector)
{
    results[k].vector = vector;
    results[k].cr2 = last_trap.cr2;
    results[k].error = last_trap.error;
    results[k].eip = last_trap.eip;
    results[k].marker = last_trap.marker;
    results[k].user_esp = last_trap.user_esp;
    results[k].frame = last_trap.frame;
}

/* Runs in guest-user mode, interrupts off: every probe, then back with user_exit. */
static void user_probes(void)
{
    record(R_DATA, probe_read((void *)U_DATA));
    record(W_DATA, probe_write((void *)U_DATA, 7));
    record(R_RO, probe_read((void *)U_RO));
    record(W_RO, probe_write((void *)(U_RO + 8), 7));
    record(R_SUPER, probe_read((void *)(SUPER + 0x10)));
    record(W_SUPER, probe_write((void *)(SUPER + 0x20), 7));
    record(R_HOLE, probe_read((void *)(U_HOLE + 0x30)));
    record(W_HOLE, probe_write((void *)(U_HOLE + 0x40), 7));
    record(R_SUP_PDE, probe_read((void *)(V_SUP_PDE + 0x50)));
    record(INT_80, probe_int_0x80());
    record(INT_83, probe_int_0x83());
    record(INT_42, probe_int_0x42());
    record(INT_20, probe_int_0x20());
    record(INT_41, probe_int_0x41());
    record(INT_99, probe_int_0x99());
    record(INT_DE, probe_int_0xde());
    record(CLI, probe_cli());
    record(HLT, probe_hlt());
    /* The system call once more, with esp known exactly. */
    __asm__ volatile("movl %%esp, %1\n\tint $0x80" : "=a"(int80_eax), "=&r"(int80_esp)
                     : "a"(1000) : "memory");
    user_exit(0x600D);
}

/* Runs in guest-user mode with interrupts on: waits for a tick. */
static void user_wait_tick(void)
{
    uint32_t t = user_ticks;

    while (user_ticks == t)
        ;
    user_exit(0x71C);
}

static void on_syscall(struct trap_frame *f)
{
    if (f->vector == 0x80 && f->eax == 1000) {
        int80_esp_seen = f->user_esp;
        f->ret_eax = 1001;
        return;
    }
    f->ret_eax = f->vector;             /* what the probe returns */
}

static void on_tick(struct trap_frame *f)
{
    user_ticks++;
    if (f->marker == MARK_USER) {
        user_tick_marker = f->marker;
        user_tick_esp = f->user_esp;
    }
}

static void build_space(void)
{
    uint32_t *pd = pd_new(), *table;
    uint32_t image_end = ((uint32_t)guest_end + PAGE_SIZE - 1) & PTE_FRAME;

    map_identity(pd, 0, 0x400000, PTE_P | PTE_W);
    map_identity(pd, 0x100000, image_end, PTE_P | PTE_W | PTE_U);
    map_page(pd, U_DATA, U_DATA, PTE_P | PTE_W | PTE_U);
    map_page(pd, U_RO, U_RO, PTE_P | PTE_U);
    *pte_of(pd, U_HOLE) = 0;
    table = page_alloc();
    pd[V_SUP_PDE >> 22] = (uint32_t)table | PTE_P | PTE_W;
    table[0] = 0x00220000u | PTE_P | PTE_W | PTE_U;
    hv_setpd(pd, 1);
}

/* One page-fault result: vector 14, cr2, error code, and the user frame's shape. */
static void check_pf(enum probe_kind k, uint32_t cr2, uint32_t error, int line)
{
    struct result *r = &results[k];

    if (r->vector != SLOT_PF || r->cr2 != cr2 || r->error != error ||
        r->marker != MARK_USER || r->frame != (uint32_t)trap_stack_top - 24 ||
        r->user_esp < (uint32_t)user_stack || r->user_esp >= (uint32_t)user_stack + 4096) {
        printf("guest_user: FAILED line %d: probe %d: vector %d cr2 %x error %x marker %x "
               "frame %x user esp %x\n", line, k, r->vector, r->cr2, r->error, r->marker,
               r->frame, r->user_esp);
        check_failed(line, "user page fault");
    }
}

/* One #GP result: error code and eip at the faulting instruction. */
static void check_gp(enum probe_kind k, uint32_t error, const char *insn, int line)
{
    struct result *r = &results[k];

    if (r->vector != SLOT_GP || r->error != error || r->eip != (uint32_t)insn ||
        r->marker != MARK_USER || r->frame != (uint32_t)trap_stack_top - 24) {
        printf("guest_user: FAILED line %d: probe %d: vector %d error %x eip %x marker %x\n",
               line, k, r->vector, r->error, r->eip, r->marker);
        check_failed(line, "user #GP");
    }
}

static void check_user_results(void)
{
    CHECK_EQ(results[R_DATA].vector, 0);
    CHECK_EQ(results[W_DATA].vector, 0);
    CHECK_EQ(*(volatile uint32_t *)U_DATA, 7);
    CHECK_EQ(results[R_RO].vector, 0);
    check_pf(W_RO, U_RO + 8, 7, __LINE__);
    check_pf(R_SUPER, SUPER + 0x10, 5, __LINE__);
    check_pf(W_SUPER, SUPER + 0x20, 7, __LINE__);
    check_pf(R_HOLE, U_HOLE + 0x30, 4, __LINE__);
    check_pf(W_HOLE, U_HOLE + 0x40, 6, __LINE__);
    check_pf(R_SUP_PDE, V_SUP_PDE + 0x50, 5, __LINE__);
    CHECK_EQ(*(volatile uint32_t *)(U_RO + 8), 0);
    CHECK_EQ(*(volatile uint32_t *)(SUPER + 0x20), 0);

    CHECK_EQ(results[INT_80].vector, 0x80);
    CHECK_EQ(results[INT_80].error, 0);
    CHECK_EQ(results[INT_80].eip, (uint32_t)probe_int_0x80_end);
    CHECK_EQ(results[INT_80].marker, MARK_USER);
    CHECK_EQ(results[INT_80].frame, (uint32_t)trap_stack_top - 24);
    CHECK_EQ(results[INT_83].vector, 0x83);
    CHECK_EQ(results[INT_83].error, 0);
    CHECK_EQ(results[INT_83].eip, (uint32_t)probe_int_0x83_insn + 2);
    CHECK_EQ(results[INT_83].marker, MARK_USER);
    CHECK_EQ(int80_eax, 1001);
    CHECK_EQ(int80_esp_seen, int80_esp);
    check_gp(INT_42, 0x42 * 8 + 2, probe_int_0x42_insn, __LINE__);
    check_gp(INT_20, 0x20 * 8 + 2, probe_int_0x20_insn, __LINE__);
    check_gp(INT_41, 0x41 * 8 + 2, probe_int_0x41_insn, __LINE__);
    check_gp(INT_99, 0x99 * 8 + 2, probe_int_0x99_insn, __LINE__);
    check_gp(INT_DE, 0xDE * 8 + 2, probe_int_0xde_insn, __LINE__);
    check_gp(CLI, 0, probe_cli_insn, __LINE__);
    check_gp(HLT, 0, probe_hlt_insn, __LINE__);
}

/* The same instructions in guest-kernel mode. */
static void check_kernel_mode(void)
{
    CHECK_EQ(probe_int_0x42(), 0x42);           /* a privileged slot: the kernel may */
    CHECK_EQ(last_trap.error, 0);
    CHECK_EQ(last_trap.marker, MARK_KERNEL);
    CHECK_EQ(last_trap.eip, (uint32_t)probe_int_0x42_insn + 2);
    CHECK_EQ(probe_int_0x20(), 0x20);
    CHECK_EQ(last_trap.error, 0);
    CHECK_EQ(last_trap.eip, (uint32_t)probe_int_0x20_insn + 2);
    CHECK_EQ(probe_int_0x83(), 0x83);
    CHECK_EQ(last_trap.error, 0);
    CHECK_EQ(last_trap.eip, (uint32_t)probe_int_0x83_insn + 2);
    CHECK_EQ(probe_int_0x41(), SLOT_GP);        /* empty */
    CHECK_EQ(last_trap.error, 0x41 * 8 + 2);
    CHECK_EQ(last_trap.marker, MARK_KERNEL);
    CHECK_EQ(last_trap.eip, (uint32_t)probe_int_0x41_insn);
    CHECK_EQ(probe_cli(), SLOT_GP);
    CHECK_EQ(last_trap.error, 0);
    CHECK_EQ(last_trap.eip, (uint32_t)probe_cli_insn);
    CHECK_EQ(probe_read((void *)SUPER), 0);
    CHECK_EQ(probe_read((void *)V_SUP_PDE), 0);
    CHECK_EQ(probe_write((void *)U_RO, 1), SLOT_PF);    /* wp = 1 */
    CHECK_EQ(last_trap.error, 3);
}

int main(void)
{
    uint32_t v;

    guest_name = "guest_user";
    trap_install(SLOT_PF, NULL, 1);
    trap_install(SLOT_GP, NULL, 1);
    trap_install(0x80, on_syscall, 0);
    trap_install(0x42, on_syscall, 1);
    trap_install(0x83, on_syscall, 0);
    trap_install(SLOT_TIMER, on_syscall, 1);    /* INT 0x20 only: interrupts stay off */
    hv_setidt(0x99, trap_stub(0x99), 0);        /* not a kept slot: ignored */
    build_space();

    check_kernel_mode();
    v = enter_user(user_probes, user_stack + sizeof user_stack, EFLAGS_BASE);
    CHECK_EQ(v, 0x600D);
    check_user_results();

    trap_install(SLOT_TIMER, on_tick, 1);
    v = enter_user(user_wait_tick, user_stack + sizeof user_stack, EFLAGS_BASE | EFLAGS_IF);
    CHECK_EQ(v, 0x71C);
    CHECK_EQ(user_tick_marker, MARK_USER);
    CHECK(user_tick_esp > (uint32_t)user_stack);
    CHECK(user_tick_esp <= (uint32_t)user_stack + sizeof user_stack);
    printf("guest_user: user mode entered twice, %d probes\n", N_PROBES);
    return guest_finish();
}
