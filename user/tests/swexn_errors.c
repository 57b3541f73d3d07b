/*
 * swexn_errors - swexn refuses what it must refuse, changes nothing when it does, and
 * installs exactly the registers it is given when they are safe (doc/syscalls.md 9).
 *
 *   refused with -2 (E_INVAL): a handler registered with esp3 or eip below 0x01000000; a
 *     newureg with other segments than cs 0x1B, ss 0x23, ds/es/fs/gs 0x23 or 0, or with an
 *     eflags that differs from the caller's in other bits than CF PF AF ZF SF TF DF OF AC;
 *   refused with -3 (E_FAULT): a newureg that is not readable (unmapped, kernel memory,
 *     running into an unmapped page, wrapping around the address space);
 *   each time the handler registered before (handler A, stack A, arg A) must still be the
 *     one in force: the call named another (B) or asked for removal. A ud2 proves it;
 *   accepted: removal with no handler; every allowed flag; null data selectors; a newureg in
 *     read-only memory or ending exactly at an unmapped page. The thread lands in an assembly
 *     stub with exactly the registers of the ureg, %esp and %eip included;
 *   removal in each of its forms (esp3 0, eip 0, both, with a newureg): checked in a child,
 *     whose next fault must kill it (status -2).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include "testlib.h"
#include "fault_ud2.h"

#define E_INVAL         (-2)
#define E_FAULT         (-3)
#define LANDED          1               /* try_swexn's result when the thread landed */
#define USER_CS         user_cs()
#define USER_SS         user_ss()
#define PC_USER_CS      0x1B            /* the bare machine's, for a ureg fixed at build time */
#define PC_USER_SS      0x23
#define EFLAGS_TF       0x00000100u
#define SPARE_PAGE      ((char *)0x30000000)    /* mapped by main for the "exact end" case */

#define EXN_STACK_SIZE  (4 * 1024)
static char stack_a[EXN_STACK_SIZE] __attribute__((aligned(16)));
static char stack_b[EXN_STACK_SIZE] __attribute__((aligned(16)));
#define A_TOP (stack_a + EXN_STACK_SIZE)
#define B_TOP (stack_b + EXN_STACK_SIZE)
static int cookie_a, cookie_b;          /* their addresses are the handlers' args */


/* Where the stub below saves what it finds, and what it restores. (Assembly uses them.) */
unsigned int landed[8];                 /* eax ebx ecx edx esi edi ebp esp */
unsigned int landed_eflags;
unsigned int landed_segs[4];            /* ds es fs gs */
unsigned int c_segs[4];                 /* the C code's ds es fs gs */
unsigned int saved_c_esp;               /* try_swexn's stack, for the way back */
static unsigned int landing_stack[256] __attribute__((aligned(16)));
#define LANDING_ESP ((unsigned int)&landing_stack[200])

/*
 * int try_swexn(esp3, eip, arg, newureg): the swexn system call made directly (INT 0x74 with
 * %esi at our own arguments, which are the packet), after noting %esp so that `landing` can
 * come back. Returns swexn's result, or LANDED if the thread resumed at `landing`.
 *
 * landing: where a good newureg sends the thread. Its first instruction is a nop, so a TF
 * in the new eflags traps at landing_after_nop. Then, in C terms: landed[] = eax..esp;
 * landed_eflags = eflags; landed_segs = ds es fs gs; restore the C segments, clear DF and
 * AC; esp = saved_c_esp; return LANDED from try_swexn. Every memory access until the
 * segments are restored goes through %ss, which a good ureg always has right (ds may be 0).
 */
int try_swexn(void *esp3, swexn_handler_t eip, void *arg, ureg_t *newureg);
extern char landing[], landing_after_nop[];
__asm__(".text\n"
        ".globl try_swexn, landing, landing_after_nop\n"
        "try_swexn:\n"
        "    pushl %ebp\n    pushl %ebx\n    pushl %esi\n    pushl %edi\n"
        "    movl %esp, saved_c_esp\n"
        "    leal 20(%esp), %esi\n"             /* esi = &esp3, the packet */
        "    int $0x74\n"                       /* eax = swexn(esp3, eip, arg, newureg) */
        "try_swexn_out:\n"
        "    popl %edi\n    popl %esi\n    popl %ebx\n    popl %ebp\n"
        "    ret\n"
        "landing:\n"
        "    nop\n"
        "landing_after_nop:\n"
        "    movl %eax, %ss:landed\n    movl %ebx, %ss:landed+4\n"
        "    movl %ecx, %ss:landed+8\n    movl %edx, %ss:landed+12\n"
        "    movl %esi, %ss:landed+16\n    movl %edi, %ss:landed+20\n"
        "    movl %ebp, %ss:landed+24\n    movl %esp, %ss:landed+28\n"
        "    pushfl\n    popl %ss:landed_eflags\n"
        "    movw %ds, %ss:landed_segs\n    movw %es, %ss:landed_segs+4\n"
        "    movw %fs, %ss:landed_segs+8\n    movw %gs, %ss:landed_segs+12\n"
        "    movw %ss:c_segs, %ds\n    movw %ss:c_segs+4, %es\n"
        "    movw %ss:c_segs+8, %fs\n    movw %ss:c_segs+12, %gs\n"
        "    cld\n"
        "    pushfl\n    andl $0xFFFBFFFF, (%esp)\n    popfl\n"    /* AC off */
        "    movl saved_c_esp, %esp\n"
        "    movl $1, %eax\n"                   /* return LANDED */
        "    jmp try_swexn_out\n");

/* The handler used throughout: notes the fault, skips a ud2 of fault_ud2, resumes with no
 * handler registered. */
static volatile int skip_calls;
static void *skip_arg;
static ureg_t skip_seen;
static ureg_t *skip_ureg;

static void skip_handler(void *arg, ureg_t *ureg)
{
    skip_calls++;
    skip_arg = arg;
    skip_ureg = ureg;
    skip_seen = *ureg;
    if (ureg->eip == (unsigned int)fault_ud2_at)
        ureg->eip = (unsigned int)fault_ud2_resume;
    ureg->eflags &= ~EFLAGS_TF;
    swexn(NULL, NULL, NULL, ureg);
    printf("swexn_errors: FAILED: the handler cannot resume\n");
    task_vanish(1);
}

static unsigned int read_eflags(void)
{
    unsigned int f;

    __asm__ volatile("pushfl\n popl %0" : "=r"(f));
    return f;
}

static void read_segs(unsigned int segs[4])
{
    unsigned short v[4];

    __asm__ volatile("movw %%ds, %0\n movw %%es, %1\n movw %%fs, %2\n movw %%gs, %3"
                     : "=m"(v[0]), "=m"(v[1]), "=m"(v[2]), "=m"(v[3]));
    for (int i = 0; i < 4; i++)
        segs[i] = v[i];
}

/* A ureg swexn must accept: lands at `landing` on landing_stack, with distinct registers.
 * cause, cr2 and error_code hold what a delivered ureg could hold: swexn ignores them. */
static void make_good(ureg_t *u)
{
    memset(u, 0, sizeof *u);
    u->cause = SWEXN_CAUSE_PAGEFAULT;
    u->cr2 = 0x1234;
    u->error_code = 6;
    u->ds = c_segs[0], u->es = c_segs[1], u->fs = c_segs[2], u->gs = c_segs[3];
    u->eax = 0x1EAA0001, u->ebx = 0x1EBB0002, u->ecx = 0x1ECC0003, u->edx = 0x1EDD0004;
    u->esi = 0x1E510005, u->edi = 0x1ED10006, u->ebp = 0x1EB70007;
    u->eip = (unsigned int)landing;
    u->cs = USER_CS;
    u->eflags = read_eflags();
    u->esp = LANDING_ESP;
    u->ss = USER_SS;
}

/* Registers A; the fault that follows must reach A: one call, arg A, ureg on stack A. */
static void register_a(void)
{
    CHECK_INT(swexn(A_TOP, skip_handler, &cookie_a, NULL), 0);
}

static void expect_a(const char *what)
{
    int calls = skip_calls;

    fault_ud2();
    if (skip_calls != calls + 1 || skip_arg != &cookie_a || (char *)skip_ureg < stack_a ||
        (char *)skip_ureg >= A_TOP) {
        printf("swexn_errors: FAILED: %s: handler A is no longer in force\n", what);
        test_failures++;
    }
}

/* swexn(esp3, eip, &cookie_b, u) must return `want`, with handler A left in place. */
static void check_refused(const char *what, void *esp3, swexn_handler_t eip, ureg_t *u,
                          int want)
{
    int r;

    register_a();
    r = try_swexn(esp3, eip, &cookie_b, u);
    if (r != want) {
        printf("swexn_errors: FAILED: %s: swexn returned %d, expected %d\n", what, r, want);
        test_failures++;
    }
    expect_a(what);
}

/* Handler registration with a bad esp3 or eip. */
static void check_bad_registration(void)
{
    ureg_t good;

    make_good(&good);
    check_refused("esp3 just below user memory", (void *)0x00FFFFFC, skip_handler, NULL,
                  E_INVAL);
    check_refused("esp3 in kernel memory", (void *)0x00100000, skip_handler, NULL, E_INVAL);
    check_refused("esp3 1", (void *)1, skip_handler, NULL, E_INVAL);
    check_refused("eip just below user memory", B_TOP, (swexn_handler_t)0x00FFFFFF, NULL,
                  E_INVAL);
    check_refused("eip in kernel memory", B_TOP, (swexn_handler_t)0x00100000, NULL, E_INVAL);
    check_refused("esp3 and eip low", (void *)0x1000, (swexn_handler_t)0x1000, NULL, E_INVAL);
    check_refused("eip low with a good newureg", B_TOP, (swexn_handler_t)0x1000, &good,
                  E_INVAL);
    check_refused("esp3 low with a good newureg", (void *)0x1000, skip_handler, &good,
                  E_INVAL);
}

/* One way to spoil a good ureg: set word `field` to value, or xor it with value. */
struct spoil {
    const char *what;
    int field;                  /* index of the word in ureg_t */
    int xor;
    unsigned int value;
};
#define W(f) ((int)(__builtin_offsetof(ureg_t, f) / 4))
static const struct spoil spoils[] = {
    { "cs kernel code 0x08", W(cs), 0, 0x08 }, { "cs 0x10", W(cs), 0, 0x10 },
    { "cs RPL 0 0x18", W(cs), 0, 0x18 }, { "cs RPL 1 0x19", W(cs), 0, 0x19 },
    { "cs user data 0x23", W(cs), 0, 0x23 }, { "cs 0x2B", W(cs), 0, 0x2B },
    { "cs null", W(cs), 0, 0 }, { "cs high bits 0x1001B", W(cs), 0, 0x1001B },
    { "ss 0x10", W(ss), 0, 0x10 }, { "ss user code 0x1B", W(ss), 0, 0x1B },
    { "ss RPL 0 0x20", W(ss), 0, 0x20 }, { "ss RPL 1 0x21", W(ss), 0, 0x21 },
    { "ss null", W(ss), 0, 0 }, { "ss 0x2B", W(ss), 0, 0x2B },
    { "ds 0x08", W(ds), 0, 0x08 }, { "ds 0x10", W(ds), 0, 0x10 },
    { "ds user code 0x1B", W(ds), 0, 0x1B }, { "ds RPL 0 0x20", W(ds), 0, 0x20 },
    { "ds 0x2B", W(ds), 0, 0x2B }, { "ds null RPL 3", W(ds), 0, 3 },
    { "es 0x10", W(es), 0, 0x10 }, { "es 0x1B", W(es), 0, 0x1B },
    { "fs 0x10", W(fs), 0, 0x10 }, { "fs 0x1B", W(fs), 0, 0x1B },
    { "gs 0x10", W(gs), 0, 0x10 }, { "gs 0x1B", W(gs), 0, 0x1B },
    { "eflags IF cleared", W(eflags), 1, 0x200 },
    { "eflags IOPL 1", W(eflags), 1, 0x1000 }, { "eflags IOPL 2", W(eflags), 1, 0x2000 },
    { "eflags IOPL 3", W(eflags), 1, 0x3000 }, { "eflags NT", W(eflags), 1, 0x4000 },
    { "eflags RF", W(eflags), 1, 0x10000 }, { "eflags VM", W(eflags), 1, 0x20000 },
    { "eflags VIF", W(eflags), 1, 0x80000 }, { "eflags VIP", W(eflags), 1, 0x100000 },
    { "eflags reserved bit 1 cleared", W(eflags), 1, 0x2 },
    { "eflags reserved bit 3", W(eflags), 1, 0x8 },
    { "eflags reserved bit 5", W(eflags), 1, 0x20 },
    { "eflags reserved bit 15", W(eflags), 1, 0x8000 },
    { "eflags reserved bit 22", W(eflags), 1, 0x400000 },
    { "eflags reserved bit 31", W(eflags), 1, 0x80000000 },
};
#define NSPOILS ((int)(sizeof spoils / sizeof spoils[0]))

/* Each spoiled ureg: refused whether the call also registers B or removes the handler. */
static void check_unsafe_uregs(void)
{
    char what[96];
    ureg_t u;
    int i;

    for (i = 0; i < NSPOILS; i++) {
        unsigned int *w = (unsigned int *)&u;

        make_good(&u);
        w[spoils[i].field] = spoils[i].xor ? w[spoils[i].field] ^ spoils[i].value
                                           : spoils[i].value;
        snprintf(what, sizeof what, "newureg %s", spoils[i].what);
        check_refused(what, B_TOP, skip_handler, &u, E_INVAL);
        snprintf(what, sizeof what, "newureg %s, removing", spoils[i].what);
        check_refused(what, NULL, NULL, &u, E_INVAL);
    }
}

/* newureg pointers that cannot be read as a whole. */
static void check_unreadable_uregs(void)
{
    char *unmapped = test_unmapped_page();

    check_refused("newureg unmapped", B_TOP, skip_handler, (ureg_t *)unmapped, E_FAULT);
    check_refused("newureg into an unmapped page", B_TOP, skip_handler,
                  (ureg_t *)(unmapped - 40), E_FAULT);
    check_refused("newureg 4 bytes into an unmapped page", B_TOP, skip_handler,
                  (ureg_t *)(SPARE_PAGE + PAGE_SIZE - sizeof(ureg_t) + 4), E_FAULT);
    check_refused("newureg kernel memory", B_TOP, skip_handler, (ureg_t *)KERNEL_ADDRESS,
                  E_FAULT);
    check_refused("newureg wild", B_TOP, skip_handler, (ureg_t *)WILD_ADDRESS, E_FAULT);
    check_refused("newureg wrapping around", B_TOP, skip_handler, (ureg_t *)0xFFFFFFD8,
                  E_FAULT);
    check_refused("newureg unmapped, removing", NULL, NULL, (ureg_t *)unmapped, E_FAULT);
    check_refused("newureg kernel memory, removing", NULL, NULL, (ureg_t *)KERNEL_ADDRESS,
                  E_FAULT);
}

/* After try_swexn returned r: did the thread land with exactly the registers of *u
 * (but for the flags in eflags_off, which something cleared on the way)? */
static void check_landed(const char *what, int r, const ureg_t *u, unsigned int eflags_off)
{
    const unsigned int want[8] = { u->eax, u->ebx, u->ecx, u->edx, u->esi, u->edi, u->ebp,
                                   u->esp };
    const unsigned int want_segs[4] = { u->ds, u->es, u->fs, u->gs };
    static const char *const names[8] = { "eax", "ebx", "ecx", "edx", "esi", "edi", "ebp",
                                          "esp" };
    static const char *const seg_names[4] = { "ds", "es", "fs", "gs" };
    int i;

    if (r != LANDED) {
        printf("swexn_errors: FAILED: %s: swexn returned %d, no landing\n", what, r);
        test_failures++;
        return;
    }
    for (i = 0; i < 8; i++)
        if (landed[i] != want[i]) {
            printf("swexn_errors: FAILED: %s: landed with %s 0x%x, expected 0x%x\n", what,
                   names[i], landed[i], want[i]);
            test_failures++;
        }
    for (i = 0; i < 4; i++)
        if (landed_segs[i] != want_segs[i]) {
            printf("swexn_errors: FAILED: %s: landed with %s 0x%x, expected 0x%x\n", what,
                   seg_names[i], landed_segs[i], want_segs[i]);
            test_failures++;
        }
    if (landed_eflags != (u->eflags & ~eflags_off)) {
        printf("swexn_errors: FAILED: %s: landed with eflags 0x%x, expected 0x%x\n", what,
               landed_eflags, u->eflags & ~eflags_off);
        test_failures++;
    }
}

/* try_swexn(esp3, eip, arg, u) after clearing what a landing leaves behind. */
static int land(void *esp3, swexn_handler_t eip, void *arg, ureg_t *u)
{
    memset(landed, 0, sizeof landed);
    memset(landed_segs, 0, sizeof landed_segs);     /* the stub stores 16 bits each */
    landed_eflags = 0;
    return try_swexn(esp3, eip, arg, u);
}

/* The handler for a single step at `landing`: notes it, clears TF, resumes. */
static volatile int step_calls;
static ureg_t step_seen;

static void step_handler(void *arg, ureg_t *ureg)
{
    (void)arg;
    step_calls++;
    step_seen = *ureg;
    ureg->eflags &= ~EFLAGS_TF;
    swexn(NULL, NULL, NULL, ureg);
    printf("swexn_errors: FAILED: the step handler cannot resume\n");
    task_vanish(1);
}

/* A good ureg in .rodata: swexn only reads it. eflags as the kernel starts user code. */
extern const ureg_t ro_ureg;
const ureg_t ro_ureg = {
    .ds = PC_USER_SS, .es = PC_USER_SS, .fs = PC_USER_SS, .gs = PC_USER_SS,
    .edi = 0x2ED10006, .esi = 0x2E510005, .ebp = 0x2EB70007, .ebx = 0x2EBB0002,
    .edx = 0x2EDD0004, .ecx = 0x2ECC0003, .eax = 0x2EAA0001,
    .eip = (unsigned int)landing, .cs = PC_USER_CS, .eflags = 0x202,
    .esp = (unsigned int)&landing_stack[100], .ss = PC_USER_SS,
};

/* Good uregs: the thread resumes exactly there. */
static void check_good_uregs(void)
{
    static const unsigned int allowed[] = { 0x1, 0x4, 0x10, 0x40, 0x80, 0x400, 0x800,
                                            0x40000 };      /* CF PF AF ZF SF DF OF AC */
    char what[64];
    ureg_t u, *edge = (ureg_t *)(SPARE_PAGE + PAGE_SIZE - sizeof(ureg_t));
    unsigned int i;

    make_good(&u);
    check_landed("good newureg, registering B", land(B_TOP, skip_handler, &cookie_b, &u), &u,
                 0);
    skip_arg = NULL;
    fault_ud2();                                /* B must have been registered too */
    CHECK(skip_arg == &cookie_b && (char *)skip_ureg >= stack_b && (char *)skip_ureg < B_TOP);

    for (i = 0; i < sizeof allowed / sizeof allowed[0]; i++) {
        make_good(&u);
        u.eflags ^= allowed[i];
        snprintf(what, sizeof what, "eflags ^ 0x%x", allowed[i]);
        check_landed(what, land(NULL, NULL, NULL, &u), &u, 0);
    }

    make_good(&u);                              /* TF: one step at landing, then a trap */
    u.eflags |= EFLAGS_TF;
    check_landed("eflags TF", land(B_TOP, step_handler, &cookie_b, &u), &u, EFLAGS_TF);
    CHECK_INT(step_calls, 1);
    CHECK_INT(step_seen.cause, SWEXN_CAUSE_DEBUG);
    CHECK(step_seen.eip == (unsigned int)landing_after_nop);

    make_good(&u);
    u.ds = u.es = u.fs = u.gs = 0;
    check_landed("null data selectors", land(NULL, NULL, NULL, &u), &u, 0);

    if (user_cs() == PC_USER_CS)
        check_landed("newureg in .rodata", land(NULL, NULL, NULL, (ureg_t *)&ro_ureg), &ro_ureg,
                     0);
    else                                /* its selectors are not ours: inside a guest */
        printf("swexn_errors: newureg in .rodata: skipped (other selectors)\n");

    make_good(edge);
    check_landed("newureg ending at an unmapped page", land(NULL, NULL, NULL, edge), edge, 0);
}

/* Removal forms: child i registers A, removes it as form i says, faults: must be killed. */
static int remove_form(int form)
{
    ureg_t u;

    switch (form) {
    case 0: return swexn(NULL, NULL, NULL, NULL);
    case 1: return swexn(NULL, skip_handler, &cookie_b, NULL);
    case 2: return swexn(B_TOP, NULL, &cookie_b, NULL);
    case 3: return swexn((void *)0x1000, NULL, NULL, NULL);    /* eip 0: no check of esp3 */
    default:
        make_good(&u);
        return land(NULL, NULL, NULL, &u) == LANDED ? 0 : -100;
    }
}
#define REMOVE_FORMS 5

static void check_removal(void)
{
    int form, pid, status;

    for (form = 0; form < REMOVE_FORMS; form++) {
        pid = fork();
        if (pid == 0) {
            register_a();
            if (remove_form(form) != 0)
                task_vanish(10);
            printf("swexn_errors: removal form %d: a fault must kill now\n", form);
            fault_ud2();
            task_vanish(11);                    /* a handler was still there */
        }
        CHECK(pid > 0);
        CHECK_INT(wait(&status), pid);
        if (status != -2) {
            printf("swexn_errors: FAILED: removal form %d: child status %d, expected -2\n",
                   form, status);
            test_failures++;
        }
    }
}

int main(void)
{
    test_start("swexn_errors");
    read_segs(c_segs);
    /* crt0's stack growth handler is registered: remove it, then remove none. */
    CHECK_INT(swexn(NULL, NULL, NULL, NULL), 0);
    CHECK_INT(swexn(NULL, NULL, NULL, NULL), 0);
    CHECK_INT(swexn(NULL, skip_handler, &cookie_a, NULL), 0);
    CHECK_INT(swexn(A_TOP, NULL, &cookie_a, NULL), 0);
    CHECK_INT(new_pages(SPARE_PAGE, PAGE_SIZE), 0);

    check_bad_registration();
    check_unsafe_uregs();
    check_unreadable_uregs();
    check_good_uregs();
    check_removal();

    CHECK_INT(swexn(NULL, NULL, NULL, NULL), 0);
    CHECK_INT(remove_pages(SPARE_PAGE), 0);
    return test_finish();
}
