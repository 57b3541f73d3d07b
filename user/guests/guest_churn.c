/*
 * guest_churn - a guest that does legal but heavy things to the hypervisor (doc/syscalls.md
 * 16), in loops, one chosen variant per run: page tables that point at themselves or alias
 * the same frames a million times, tables of random words, address spaces and entries
 * switched thousands of times, guest-user page faults served by demand paging, every kind
 * of exception delivered and resumed, hypercalls at the edges of what is allowed. Each run
 * checks what it saw and, if all was right, exits with its own variant number as the status
 * (user/tests/guest_hammer's `self`); a failed check makes it 1. Run by guest_hammer
 * (tests/cases/guest_churn.t), which leaves the variant in the cursor (guest_variant).
 *
 * Guest-physical memory used: the image (1 MiB), marked frames in [2 MiB, 3 MiB) (word 0 of
 * frame f holds f >> 12, for checking where a mapping leads), tables in [3 MiB, 4 MiB), and
 * up to 2 MiB of demand-paged user memory from 10 MiB: small enough to run six at once.
 */
#include "guest.h"

#define MARKED      0x00200000u         /* 256 frames, word 0 of each = its frame number */
#define MARKED_N    256u
#define V_SLOT      0x00800000u         /* a page remapped over and over (directory entry 2) */
#define USER_BASE   0x01000000u         /* demand-paged guest-user memory (entry 4) */
#define USER_PAGES  512u
#define POOL        0x00A00000u         /* the frames behind it */
#define EFLAGS_TF   0x00000100u
#define EFLAGS_OF   0x00000800u

/*==== Helpers ====*/

static uint32_t lcg = 0x1234567u;

/* A pseudo-random word (the same sequence every run). */
static uint32_t next_random(void)
{
    lcg = lcg * 1103515245u + 12345u;
    return lcg ^ (lcg >> 16);
}

/* Word 0 of every frame in [MARKED, +MARKED_N pages) := its frame number (paging off or
 * identity-mapped there). */
static void mark_frames(void)
{
    for (uint32_t f = 0; f < MARKED_N; f++)
        *(volatile uint32_t *)(MARKED + f * PAGE_SIZE) = (MARKED >> 12) + f;
}

static uint32_t read_word(uint32_t va) { return *(volatile uint32_t *)va; }

/* A new address space: [0, 4 MiB) identity-mapped, user-accessible; wp = 1. */
static uint32_t *space(void)
{
    uint32_t *pd = pd_new();

    map_identity(pd, 0, 0x400000, PTE_P | PTE_W | PTE_U);
    hv_setpd(pd, 1);
    return pd;
}

/*==== Page tables pointing at themselves ====*/

/* Entry 1 is the directory itself: its window shows the directory and table 0 as pages; a
 * PTE written through the window changes a mapping, seen after hv_adjustpg. */
static void c_recursive(void)
{
    uint32_t *pd = space(), *window = (uint32_t *)(1u << 22), bad = 0;
    uint32_t *table0 = (uint32_t *)(pd[0] & PTE_FRAME);

    pd[1] = (uint32_t)pd | PTE_P | PTE_W;
    hv_setpd(pd, 1);
    for (int i = 0; i < 1024; i++)
        bad += window[1024 + i] != pd[i];       /* page 1 of the window: the directory */
    CHECK_EQ(bad, 0);
    CHECK_EQ(window[0x210], table0[0x210]);     /* page 0: table 0 */
    window[MARKED >> 12] = (MARKED + 5 * PAGE_SIZE) | PTE_P | PTE_W;
    hv_adjustpg((void *)MARKED);
    CHECK_EQ(read_word(MARKED), (MARKED >> 12) + 5);
    window[MARKED >> 12] = MARKED | PTE_P | PTE_W;
    hv_adjustpg((void *)MARKED);
    CHECK_EQ(read_word(MARKED), MARKED >> 12);
}

/* Entries 2..1018 all point at the directory: 1,017 windows, more than the hypervisor keeps
 * shadow tables for, read three times over. Address (i << 22) shows table 0; address
 * (i << 22 | i << 12) shows the directory itself. */
static void c_many_self(void)
{
    uint32_t *pd = space(), *table0 = (uint32_t *)(pd[0] & PTE_FRAME), bad = 0;

    for (int i = 2; i < 1019; i++)
        pd[i] = (uint32_t)pd | PTE_P | PTE_W;
    hv_setpd(pd, 1);
    for (int round = 0; round < 3; round++)
        for (uint32_t i = 2; i < 1019; i++) {
            bad += read_word(i << 22) != table0[0];
            bad += read_word(i << 22 | i << 12) != pd[0];
        }
    CHECK_EQ(bad, 0);
}

/* One table maps its 1,024 entries onto 16 frames, and entries 2..1018 of the directory all
 * use it: about a million pages on 16 frames. Writes through some aliases must be read
 * through all the others. */
static void c_aliases(void)
{
    uint32_t *pd = space(), *t = page_alloc(), bad = 0;

    for (uint32_t k = 0; k < 1024; k++)
        t[k] = (MARKED + (k % 16) * PAGE_SIZE) | PTE_P | PTE_W;
    for (int i = 2; i < 1019; i++)
        pd[i] = (uint32_t)t | PTE_P | PTE_W;
    hv_setpd(pd, 1);
    for (int pass = 0; pass < 3; pass++) {
        for (uint32_t k = 0; k < 16; k++)       /* frame k through entry 2 + 63k, page k */
            *(volatile uint32_t *)((2 + 63 * k) << 22 | k << 12 | 8) = pass << 8 | k;
        for (uint32_t i = 2; i < 1019; i++) {
            uint32_t page = (i * 7 + pass) % 1024;
            bad += read_word(i << 22 | page << 12 | 8) != (pass << 8 | page % 16);
        }
    }
    CHECK_EQ(bad, 0);
}

/*==== Tables of random words ====*/

static uint32_t *garbage_pd, *garbage_tables[64];
static volatile uint32_t garbage_bad;

/* Entries 2..65 of a new space get tables of random words whose frames all lie among the
 * marked ones: random present, writable and user bits at both levels. */
static void garbage_space(void)
{
    garbage_pd = space();
    for (int t = 0; t < 64; t++) {
        uint32_t *table = garbage_tables[t] = page_alloc();
        for (int k = 0; k < 1024; k++)
            table[k] = MARKED + (next_random() & 0xFF000) + (next_random() & 7);
        garbage_pd[2 + t] = (uint32_t)table | (next_random() & 7);
    }
    hv_setpd(garbage_pd, 1);
}

/* One read and one write probe at a random page under the random tables, judged by the
 * contract's rules for the mode the probe runs in (wp = 1). */
static void garbage_probe(int user)
{
    uint32_t t = next_random() % 64, k = next_random() % 1024;
    uint32_t va = (2 + t) << 22 | k << 12, pte = garbage_tables[t][k];
    uint32_t both = garbage_pd[2 + t] & pte, present = both & PTE_P;
    int reach = present && (!user || (both & PTE_U)), can_write = reach && (both & PTE_W);
    uint32_t error = (present ? 1 : 0) | (user ? 4 : 0);
    int r = probe_read((void *)va);

    if (reach ? r != 0 || read_word(va) != pte >> 12
              : r != SLOT_PF || last_trap.error != error || last_trap.cr2 != va)
        garbage_bad++;
    r = probe_write((void *)va, pte >> 12);     /* the mark itself: nothing changes */
    if (can_write ? r != 0 : r != SLOT_PF || last_trap.error != (error | 2))
        garbage_bad++;
}

static void garbage_user(void)
{
    for (int n = 0; n < 2000; n++)
        garbage_probe(1);
    user_exit(0);
}

static void c_garbage_tables(void)
{
    static uint8_t stack[4096];

    trap_install(SLOT_PF, NULL, 1);
    garbage_space();
    for (int n = 0; n < 3000; n++)
        garbage_probe(0);
    CHECK_EQ(garbage_bad, 0);
    CHECK_EQ(enter_user(garbage_user, stack + sizeof stack, EFLAGS_BASE), 0);
    CHECK_EQ(garbage_bad, 0);
}

/*==== Address spaces and entries switched over and over ====*/

/* Four directories map V_SLOT to four frames; hv_setpd switches 2,000 times (wp alternating),
 * and each time V_SLOT must show that space's frame. */
static void c_setpd_churn(void)
{
    uint32_t *pds[4], bad = 0;

    for (uint32_t k = 0; k < 4; k++) {
        pds[k] = space();
        map_page(pds[k], V_SLOT, MARKED + k * PAGE_SIZE, PTE_P | PTE_W);
    }
    for (uint32_t n = 0; n < 2000; n++) {
        hv_setpd(pds[n % 4], n & 1);
        bad += read_word(V_SLOT) != (MARKED >> 12) + n % 4;
    }
    CHECK_EQ(bad, 0);
}

/* One PTE rewritten 3,000 times, each change announced with hv_adjustpg: reads and writes
 * through V_SLOT follow it to the new frame. */
static void c_adjust_churn(void)
{
    uint32_t *pd = space(), *pte, bad = 0;

    map_page(pd, V_SLOT, MARKED, PTE_P | PTE_W);
    pte = pte_of(pd, V_SLOT);
    for (uint32_t n = 0; n < 3000; n++) {
        uint32_t f = MARKED + (n % 32) * PAGE_SIZE;
        *pte = f | PTE_P | PTE_W;
        hv_adjustpg((void *)V_SLOT);
        bad += read_word(V_SLOT) != f >> 12;
        *(volatile uint32_t *)(V_SLOT + 4) = n;
        bad += read_word(f + 4) != n;
    }
    CHECK_EQ(bad, 0);
}

/*==== Guest-user demand paging ====*/

static uint32_t *user_pd;
static volatile uint32_t user_faults_absent, user_faults_ro, user_faults_odd;

/* Slot 14 for the user region: a missing page gets its frame read-only, a write to it then
 * makes it writable. Anything else is counted and ends the user code. */
static void demand_page(struct trap_frame *f)
{
    uint32_t page = f->cr2 & PTE_FRAME, *pd = user_pd;

    if (f->marker != MARK_USER || page < USER_BASE || page >= USER_BASE + USER_PAGES * 4096) {
        user_faults_odd++;
        f->ret_eip = (uint32_t)user_exit;
        return;
    }
    if (f->error == 4 || f->error == 6) {
        map_page(pd, page, POOL + (page - USER_BASE), PTE_P | PTE_U);
        user_faults_absent++;
    } else if (f->error == 7) {
        *pte_of(pd, page) |= PTE_W;
        user_faults_ro++;
    } else {
        user_faults_odd++;
    }
    hv_adjustpg((void *)page);
}

/* Guest-user code: touch every page (read, then write), then read them all back. */
static void user_touch(void)
{
    uint32_t bad = 0;

    for (uint32_t p = 0; p < USER_PAGES; p++) {
        volatile uint32_t *w = (volatile uint32_t *)(USER_BASE + p * PAGE_SIZE);
        bad += w[1] != 0 && w[1] != p * 3;      /* zero at first, its value after a remap */
        w[1] = p * 3;
    }
    for (uint32_t p = 0; p < USER_PAGES; p++)
        bad += *(volatile uint32_t *)(USER_BASE + p * PAGE_SIZE + 4) != p * 3;
    user_exit(bad);
}

/* Two passes: the second after every PTE of the region is cleared (hv_setpd), so every page
 * faults in again, onto the same frame with its data. */
static void c_demand_paging(void)
{
    static uint8_t stack[4096];

    user_pd = space();
    trap_install(SLOT_PF, demand_page, 1);
    for (int pass = 0; pass < 2; pass++) {
        CHECK_EQ(enter_user(user_touch, stack + sizeof stack, EFLAGS_BASE), 0);
        CHECK_EQ(user_faults_absent, (pass + 1) * USER_PAGES);
        CHECK_EQ(user_faults_ro, (pass + 1) * USER_PAGES);
        for (uint32_t p = 0; p < USER_PAGES; p++)
            *pte_of(user_pd, USER_BASE + p * PAGE_SIZE) = 0;
        hv_setpd(user_pd, 1);
    }
    CHECK_EQ(user_faults_odd, 0);
}

/*==== Exceptions delivered and resumed ====*/

static volatile uint32_t user_bad;

/* One probe from guest-user mode: the vector, error code and cr2 it must give. */
static void expect_fault(int got, int vector, uint32_t error, uint32_t cr2)
{
    if (got != vector || last_trap.error != error || (vector == SLOT_PF && last_trap.cr2 != cr2)
        || last_trap.marker != MARK_USER)
        user_bad++;
}

/* Guest-user code: 300 times every kind of fault a user program can take. */
static void user_faults(void)
{
    for (int n = 0; n < 300; n++) {
        expect_fault(probe_cli(), SLOT_GP, 0, 0);
        expect_fault(probe_hlt(), SLOT_GP, 0, 0);
        expect_fault(probe_ud2(), SLOT_UD, 0, 0);
        expect_fault(probe_int_0x42(), SLOT_GP, 0x42 * 8 + 2, 0);  /* privileged slot */
        expect_fault(probe_int_0xde(), SLOT_GP, 0xDE * 8 + 2, 0);  /* no hypercalls here */
        expect_fault(probe_int_0x99(), SLOT_GP, 0x99 * 8 + 2, 0);  /* not a slot */
        expect_fault(probe_read((void *)0xFF000000u), SLOT_PF, 4, 0xFF000000u);
        expect_fault(probe_write((void *)0xFFFFFFFCu, 1), SLOT_PF, 6, 0xFFFFFFFCu);
        expect_fault(probe_read((void *)0x02000000u), SLOT_PF, 4, 0x02000000u);
    }
    user_exit(user_bad);
}

static void c_user_faults(void)
{
    static uint8_t stack[4096];

    space();
    trap_install(SLOT_PF, NULL, 1);
    trap_install(SLOT_GP, NULL, 1);
    trap_install(SLOT_UD, NULL, 1);
    trap_install(0x42, NULL, 1);
    CHECK_EQ(enter_user(user_faults, stack + sizeof stack, EFLAGS_BASE), 0);
}

/* Guest-kernel faults whose handler resumes after the instruction: `skip` bytes on. Traps
 * (int3, into) already point past theirs. */
static volatile uint32_t skip, kernel_traps[32], single_steps, step_limit;

static void skip_insn(struct trap_frame *f)
{
    kernel_traps[f->vector]++;
    if (f->vector != 3 && f->vector != 4)
        f->ret_eip = f->eip + skip;
}

/* #MF arrives at the waiting instruction after the error: clear it and run that again. */
static void x87_clear(struct trap_frame *f)
{
    kernel_traps[f->vector]++;
    __asm__ volatile("fnclex");
}

/* #DB after each instruction while TF is set: after step_limit of them, TF goes. */
static void count_step(struct trap_frame *f)
{
    if (++single_steps >= step_limit)
        f->ret_eflags &= ~EFLAGS_TF;
}

/* 300 rounds of: #DE, int3, into, #MF, ud2; then single steps, and every GDT selector below
 * 0x100 loaded into %fs (each a #GP or a load). LDT selectors are not tried: the host never
 * loads LDTR, so the CPU looks for their descriptors at linear address 0, in host memory,
 * and the guest is crashed for touching it (a host bug, reported). */
static void c_kernel_faults(void)
{
    uint16_t cw = 0x037B;               /* x87 zero-divide unmasked */
    uint32_t gp_bad = 0;

    for (int slot = 0; slot < 17; slot++)
        if (slot == 0 || slot == 3 || slot == 4 || slot == SLOT_GP)
            trap_install(slot, skip_insn, 1);
    trap_install(SLOT_UD, NULL, 1);
    trap_install(16, x87_clear, 1);
    trap_install(1, count_step, 1);
    for (int n = 0; n < 300; n++) {
        skip = 2;                       /* div %ecx */
        __asm__ volatile("xor %%edx, %%edx\n\tdiv %%ecx" : : "a"(1), "c"(0) : "edx");
        __asm__ volatile("int3\n\tmov $0x7fffffff, %%eax\n\tadd %%eax, %%eax\n\tinto"
                         : : : "eax", "cc");
        __asm__ volatile("fldcw %0\n\tfldz\n\tfld1\n\tfdiv %%st(1), %%st\n\tfwait\n\t"
                         "fstp %%st\n\tfstp %%st" : : "m"(cw) : "memory");
        probe_ud2();
    }
    CHECK_EQ(kernel_traps[0], 300);
    CHECK_EQ(kernel_traps[3], 300);
    CHECK_EQ(kernel_traps[4], 300);
    CHECK_EQ(kernel_traps[16], 300);
    step_limit = 1000;
    iret_self(EFLAGS_BASE | EFLAGS_TF);
    while (single_steps < step_limit)
        hv_magic();                     /* hypercalls single-stepped too */
    for (uint32_t sel = 0; sel < 0x100; sel += (sel & 3) == 3 ? 5 : 1) {    /* TI clear */
        uint32_t before = kernel_traps[SLOT_GP];
        skip = 2;                       /* mov %eax, %fs */
        __asm__ volatile("mov %0, %%fs" : : "a"(sel));
        gp_bad += kernel_traps[SLOT_GP] != before && last_trap.error != (sel & 0xFFFC);
    }
    __asm__ volatile("mov %0, %%fs" : : "r"(0));
    CHECK_EQ(gp_bad, 0);
}

/*==== Hypercalls at the edges of the allowed ====*/

/* Everything here is allowed: slots the hypervisor ignores, disk reads past the end, the
 * longest prints, pointers that alias, addresses at the very top, wp given as any word. */
static void c_edge_calls(void)
{
    static char text[410];
    int both = -1, row = -1, col = -1;
    uint32_t *pd;
    static const uint32_t ignored[] = { 0x22, 0x40, 0x75, 0x7F, 0x87, 0x99, 0xFF, 0x100,
                                        0x80000000u, 0xFFFFFFFFu };

    trap_install(SLOT_GP, NULL, 1);
    for (uint32_t i = 0; i < sizeof ignored / sizeof ignored[0]; i++)
        hv_setidt((int)ignored[i], trap_stub(0x99), 0);
    CHECK_EQ(probe_int_0x99(), SLOT_GP);        /* 0x99 stayed no slot */
    CHECK_EQ(last_trap.error, 0x99 * 8 + 2);
    CHECK_EQ(hv_call(0x20, 2880, 0, MARKED, 512, 0), (uint32_t)-10);   /* past the end */
    CHECK_EQ(hv_call(0x20, 0xFFFFFFFFu, 0, MARKED, 16, 0), (uint32_t)-10);
    CHECK_EQ(hv_call(0x20, 0, 0xFFFFFFFFu, MARKED, 16, 0), (uint32_t)-10);
    CHECK_EQ(hv_call(0x20, 0, 0, MARKED, 0, 0), 0);         /* nothing to copy */
    memset(text, '.', sizeof text);
    hv_cons_get_cursor_pos(&row, &col);
    hv_print_at(sizeof text, text, 24, 79, 0x07);   /* one cell shows, the rest is dropped */
    hv_print_at(0, text, 0, 0, 0xFF);
    hv_cons_get_cursor_pos(&both, &both);       /* one word for both: row or column */
    CHECK(both == row || both == col);
    hv_cons_set_term_color(0xFF);
    hv_cons_set_term_color(0x07);
    trap_install(SLOT_TIMER, NULL, 1);          /* ticks are taken and ignored */
    for (int n = 0; n < 1000; n++) {
        hv_disable_interrupts();
        hv_enable_interrupts();
        CHECK_EQ(hv_magic(), HV_MAGIC);
    }
    hv_disable_interrupts();
    hv_adjustpg((void *)HV_TOP_VIRTUAL);        /* paging off: nothing to do */
    pd = space();
    map_page(pd, V_SLOT, MARKED, PTE_P);
    hv_setpd(pd, 0xFFFFFFFFu);                  /* wp: any word but 0 */
    trap_install(SLOT_PF, NULL, 1);
    CHECK_EQ(probe_write((void *)V_SLOT, 1), SLOT_PF);
    CHECK_EQ(last_trap.error, 3);
    hv_adjustpg((void *)HV_TOP_VIRTUAL);
    hv_adjustpg((void *)0);
}

/* An x87 error left pending across timer ticks and hypercalls, and still pending when the
 * guest exits: the host must never be the one to raise it. */
static void c_x87_pending(void)
{
    uint16_t cw = 0x037B;

    __asm__ volatile("fninit\n\tfldcw %0\n\tfldz\n\tfld1\n\tfdiv %%st(1), %%st"
                     : : "m"(cw) : "memory");
    timer_start();
    while (timer_ticks < 5)
        hv_magic();
    hv_disable_interrupts();
}

static const struct guest_variant_fn churns[] = {
    { "a directory that maps itself", c_recursive },
    { "1,017 directory entries on the directory", c_many_self },
    { "a million pages on 16 frames", c_aliases },
    { "tables of random words, kernel and user", c_garbage_tables },
    { "hv_setpd 2,000 times", c_setpd_churn },
    { "hv_adjustpg 3,000 times", c_adjust_churn },
    { "guest-user demand paging, twice 1,024 faults", c_demand_paging },
    { "guest-user faults of every kind, 2,700", c_user_faults },
    { "guest-kernel exceptions resumed, 1,500 and steps", c_kernel_faults },
    { "hypercalls at the edges", c_edge_calls },
    { "an x87 error pending to the end", c_x87_pending },
};
#define CHURNS ((int)(sizeof churns / sizeof churns[0]))

int main(void)
{
    int v;

    guest_name = "guest_churn";
    v = guest_variant(CHURNS);
    printf("guest_churn: %d: %s\n", v, churns[v - 1].what);
    mark_frames();
    churns[v - 1].run();
    return guest_finish() == 0 ? v : 1;
}
