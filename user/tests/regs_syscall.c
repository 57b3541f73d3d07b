/*
 * regs_syscall - a system call changes no register but %eax (doc/syscalls.md 1): "Every
 * other register is unchanged when the call returns: the general registers, the segment
 * registers, %eflags". fork's child and thread_fork's new thread start with the caller's
 * registers but %eax (doc 4), so both sides of those are checked too.
 *
 * Each probe loads ebx, ecx, edx, esi, edi and ebp with values of its own (esi is the
 * argument, or the packet's address, when the call takes one), sets the flags CF ZF OF DF
 * and clears PF SF, makes the call with a raw INT, and records what it finds: the general
 * registers with %esp, the segment registers, whether the five flags are as loaded, and
 * DF. Calls: ones that return at once (gettid, get_ticks, deschedule with *reject set,
 * print, new_pages, remove_pages), ones that give up the CPU (yield, free_frames), blocking
 * ones (sleep, wait for a child), error returns (set_cursor_pos -2, print -3 for a packet in
 * kernel memory), fork and thread_fork. A register that differs is named, with both values.
 *
 * Run under misbehave 2 too (every call yields on its way out): the .t file's modes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include "testlib.h"

#define NO_ARG          0x5EA50000u     /* call_probe: no argument in %esi (none of ours) */
#define SPARE_PAGE      ((char *)0x30000000)
#define CHILD_STACK     (8 * 1024)
#define U(p)            ((unsigned int)(p))

/* What a probe loads before the INT. Offsets 0..24 are used by probe_call. */
struct probe {
    unsigned int ebx, ecx, edx, esi, edi, ebp;
    const char *stub;                   /* "int $N; jmp probe_back" for the call's N */
};

/* What a probe finds after the INT. Offsets 0..52 are used by CAPTURE. */
struct seen {
    unsigned int eax, ebx, ecx, edx, esi, edi, ebp, esp;
    unsigned int ds, es, fs, gs;        /* 16 bits stored: zeroed before each probe */
    unsigned int flags_kept;            /* 1: CF ZF OF set and PF SF clear, as loaded */
    unsigned int df_esi;                /* df_probe if DF was still set, else df_probe + 2 */
};

/* Shared with the assembly below (so not static). The thread that got 0 from the call
 * records into seen_zero, any other into seen_other: fork's and thread_fork's two sides
 * never write the same place. */
struct seen seen_zero, seen_other;
unsigned int probe_c_esp;               /* %esp at the INT, and for the way back */
unsigned int probe_c_segs[4];           /* the C code's ds es fs gs */
unsigned int probe_child_esp;           /* nonzero: a thread_fork child moves here */
char df_probe[4];                       /* what lodsb reads to find DF */
void probe_thread_child(void);

/*
 * int probe_call(const struct probe *p), in C terms:
 *     save the C code's ebp ebx esi edi; probe_c_esp = esp;
 *     eflags = CF|ZF|DF|OF (and IF, bit 1); ebx..ebp = p->ebx..p->ebp; goto p->stub;
 * probe_back (the stub jumps here after its INT):
 *     flags_kept = the five flags are as loaded   -- conditional jumps only read flags, so
 *                                                   this comes before any test
 *     seen = eax == 0 ? &seen_zero : &seen_other;
 *     *seen = eax ebx ecx edx esi edi ebp esp ds es fs gs, flags_kept;
 *     esi = df_probe + 1; lodsb (esi moves down if DF is set); seen->df_esi = esi;
 * probe_done:
 *     ds..gs = probe_c_segs; DF = 0; eax = seen->eax;
 *     if (eax == 0 && probe_child_esp) { esp = probe_child_esp; probe_thread_child(); }
 *     esp = probe_c_esp; restore the C registers; return eax;
 * Until the segments are restored, memory is reached through %ss, which an IRET to user
 * mode cannot leave wrong. A thread_fork child shares the caller's stack, so it writes
 * only to seen_zero and moves to its own stack before it pushes anything.
 */
#define LOADED_EFLAGS "0xE43"           /* OF 0x800, DF 0x400, IF 0x200, ZF 0x40, 2, CF 1 */
__asm__(".text\n"
        ".macro CAPTURE area, kept\n"
        "    movl %eax, %ss:\\area\n"
        "    movl %ebx, %ss:\\area+4\n"
        "    movl %ecx, %ss:\\area+8\n"
        "    movl %edx, %ss:\\area+12\n"
        "    movl %esi, %ss:\\area+16\n"
        "    movl %edi, %ss:\\area+20\n"
        "    movl %ebp, %ss:\\area+24\n"
        "    movl %esp, %ss:\\area+28\n"
        "    movw %ds, %ss:\\area+32\n"
        "    movw %es, %ss:\\area+36\n"
        "    movw %fs, %ss:\\area+40\n"
        "    movw %gs, %ss:\\area+44\n"
        "    movl $\\kept, %ss:\\area+48\n"
        "    movl $df_probe+1, %esi\n"
        "    lodsb %ss:(%esi), %al\n"           /* esi += DF ? -1 : 1 */
        "    movl %esi, %ss:\\area+52\n"
        "    movl %ss:\\area, %eax\n"           /* eax = the call's result again */
        "    jmp probe_done\n"
        ".endm\n"
        ".globl probe_call\n"
        "probe_call:\n"
        "    pushl %ebp\n    pushl %ebx\n    pushl %esi\n    pushl %edi\n"
        "    movl %esp, probe_c_esp\n"
        "    movl 20(%esp), %eax\n"             /* eax = p */
        "    pushl $" LOADED_EFLAGS "\n"
        "    popfl\n"
        "    movl 0(%eax), %ebx\n"
        "    movl 4(%eax), %ecx\n"
        "    movl 8(%eax), %edx\n"
        "    movl 12(%eax), %esi\n"
        "    movl 16(%eax), %edi\n"
        "    movl 20(%eax), %ebp\n"
        "    jmp *24(%eax)\n"                   /* the stub: int $N; jmp probe_back */
        "probe_back:\n"
        "    jnc 1f\n    jnz 1f\n    jno 1f\n"  /* if (!CF || !ZF || !OF || PF || SF) */
        "    jp 1f\n    js 1f\n"                /*     goto flags_changed */
        "    testl %eax, %eax\n"
        "    jz 2f\n"
        "    CAPTURE seen_other, 1\n"
        "2:  CAPTURE seen_zero, 1\n"
        "1:  testl %eax, %eax\n"                /* flags_changed: */
        "    jz 3f\n"
        "    CAPTURE seen_other, 0\n"
        "3:  CAPTURE seen_zero, 0\n"
        "probe_done:\n"
        "    movw %ss:probe_c_segs, %ds\n    movw %ss:probe_c_segs+4, %es\n"
        "    movw %ss:probe_c_segs+8, %fs\n  movw %ss:probe_c_segs+12, %gs\n"
        "    cld\n"
        "    testl %eax, %eax\n"
        "    jnz 4f\n"
        "    movl probe_child_esp, %ecx\n"
        "    jecxz 4f\n"
        "    movl %ecx, %esp\n"                 /* the new thread of thread_fork: */
        "    call probe_thread_child\n"         /* never returns */
        "4:  movl probe_c_esp, %esp\n"
        "    popl %edi\n    popl %esi\n    popl %ebx\n    popl %ebp\n"
        "    ret\n");
int probe_call(const struct probe *p);

/* One stub per call: INT needs its vector as a constant. */
#define INT_STUB(name, vector)                                          \
    extern const char name[];                                           \
    __asm__(".text\n" #name ":\n    int $" #vector "\n    jmp probe_back\n")
INT_STUB(stub_fork, 0x41);
INT_STUB(stub_wait, 0x44);
INT_STUB(stub_yield, 0x45);
INT_STUB(stub_deschedule, 0x46);
INT_STUB(stub_gettid, 0x48);
INT_STUB(stub_new_pages, 0x49);
INT_STUB(stub_remove_pages, 0x4A);
INT_STUB(stub_sleep, 0x4B);
INT_STUB(stub_print, 0x4E);
INT_STUB(stub_set_cursor_pos, 0x50);
INT_STUB(stub_thread_fork, 0x52);
INT_STUB(stub_get_ticks, 0x53);
INT_STUB(stub_free_frames, 0x80);

static struct probe current;            /* the latest probe: what the registers held */

/* Makes a call through a probe with new register values (esi = the argument if any). */
static int call_probe(const char *stub, unsigned int esi)
{
    static unsigned int serial;

    serial++;
    current.ebx = 0xB0B00000 | serial, current.ecx = 0xC0C00000 | serial;
    current.edx = 0xD0D00000 | serial, current.edi = 0xD1D10000 | serial;
    current.ebp = 0xB9B90000 | serial;
    current.esi = esi == NO_ARG ? (0x50500000 | serial) : esi;
    current.stub = stub;
    memset(&seen_zero, 0, sizeof seen_zero);
    memset(&seen_other, 0, sizeof seen_other);
    return probe_call(&current);
}

/* One register that should have come back as it was. */
static void check_reg(const char *what, const char *reg, unsigned int got, unsigned int want)
{
    if (got != want) {
        printf("regs_syscall: FAILED: %s: %s is 0x%08x after the call, was 0x%08x\n", what,
               reg, got, want);
        test_failures++;
    }
}

/* Compares what the probe found (s) with what it loaded (current). */
static void check_seen(const char *what, const struct seen *s)
{
    check_reg(what, "ebx", s->ebx, current.ebx);
    check_reg(what, "ecx", s->ecx, current.ecx);
    check_reg(what, "edx", s->edx, current.edx);
    check_reg(what, "esi", s->esi, current.esi);
    check_reg(what, "edi", s->edi, current.edi);
    check_reg(what, "ebp", s->ebp, current.ebp);
    check_reg(what, "esp", s->esp, probe_c_esp);
    check_reg(what, "ds", s->ds, probe_c_segs[0]);
    check_reg(what, "es", s->es, probe_c_segs[1]);
    check_reg(what, "fs", s->fs, probe_c_segs[2]);
    check_reg(what, "gs", s->gs, probe_c_segs[3]);
    if (!s->flags_kept) {
        printf("regs_syscall: FAILED: %s: eflags changed: CF ZF OF set, PF SF clear no more\n",
               what);
        test_failures++;
    }
    if (s->df_esi != U(df_probe)) {
        printf("regs_syscall: FAILED: %s: eflags DF is clear after the call, was set\n", what);
        test_failures++;
    }
}

/* Checks the registers of the thread that got r, and says so when they were all kept. */
static void report(const char *what, int r)
{
    int before = test_failures;

    check_seen(what, r == 0 ? &seen_zero : &seen_other);
    if (test_failures == before)
        printf("regs_syscall: %s returned %d: registers kept\n", what, r);
}

/* A call through a probe that must return `want`. */
static void probe(const char *what, const char *stub, unsigned int esi, int want)
{
    int r = call_probe(stub, esi);

    report(what, r);
    if (r != want) {
        printf("regs_syscall: FAILED: %s returned %d, expected %d\n", what, r, want);
        test_failures++;
    }
}

/* Calls that do not create threads or tasks. */
static void check_plain_calls(void)
{
    static const int one = 1;
    static const char text[] = "regs_syscall: print through a probe\n";
    const unsigned int print_packet[2] = { sizeof text - 1, U(text) };
    const unsigned int bad_cursor[2] = { (unsigned int)-1, 0 };
    const unsigned int pages[2] = { U(SPARE_PAGE), PAGE_SIZE };
    unsigned int t0;
    int r;

    probe("gettid", stub_gettid, NO_ARG, gettid());
    t0 = get_ticks();
    r = call_probe(stub_get_ticks, NO_ARG);
    report("get_ticks", r);
    CHECK((unsigned int)r - t0 < 100);
    probe("yield(-1)", stub_yield, (unsigned int)-1, 0);
    t0 = get_ticks();
    probe("sleep(2)", stub_sleep, 2, 0);
    CHECK(get_ticks() - t0 >= 1);
    probe("deschedule(&one)", stub_deschedule, U(&one), 0);
    probe("print", stub_print, U(print_packet), 0);
    probe("set_cursor_pos(-1, 0)", stub_set_cursor_pos, U(bad_cursor), -2);
    probe("print(kernel packet)", stub_print, U(KERNEL_ADDRESS), -3);
    probe("new_pages", stub_new_pages, U(pages), 0);
    probe("remove_pages", stub_remove_pages, U(SPARE_PAGE), 0);
    r = call_probe(stub_free_frames, NO_ARG);
    report("free_frames", r);
    CHECK(r > 0);
}

/* fork: both sides keep the registers; then wait, which blocks until the child ends. */
static void check_fork(void)
{
    int pid, r, status = -1, before = test_failures;

    pid = call_probe(stub_fork, NO_ARG);
    report(pid == 0 ? "fork (child)" : "fork (parent)", pid);
    if (pid == 0)
        exit(test_failures - before);   /* the child's own failures */
    if (pid < 0) {
        printf("regs_syscall: FAILED: fork returned %d\n", pid);
        test_failures++;
        return;
    }
    r = call_probe(stub_wait, U(&status));
    report("wait", r);
    CHECK_INT(r, pid);
    CHECK_INT(status, 0);               /* the child's own check failed otherwise */
}

/* thread_fork's new thread lands here on child_stack, after probe_done. */
static char child_stack[CHILD_STACK] __attribute__((aligned(16)));
static volatile int child_done;

void probe_thread_child(void)
{
    report("thread_fork (new thread)", 0);
    child_done = 1;
    vanish();
}

/* thread_fork: the new thread has the caller's registers but eax; so does the caller. */
static void check_thread_fork(void)
{
    int tid;

    probe_child_esp = U(child_stack + CHILD_STACK);
    child_done = 0;
    tid = call_probe(stub_thread_fork, NO_ARG);
    if (tid <= 0) {
        printf("regs_syscall: FAILED: thread_fork returned %d\n", tid);
        test_failures++;
        probe_child_esp = 0;
        return;
    }
    while (!child_done)                 /* it reads `current`: keep it until then */
        yield(tid);
    probe_child_esp = 0;
    report("thread_fork (caller)", tid);
}

/* The C code's segment registers: what every probe must find again. */
static void read_segs(void)
{
    unsigned short v[4];

    __asm__ volatile("movw %%ds, %0\n movw %%es, %1\n movw %%fs, %2\n movw %%gs, %3"
                     : "=m"(v[0]), "=m"(v[1]), "=m"(v[2]), "=m"(v[3]));
    for (int i = 0; i < 4; i++)
        probe_c_segs[i] = v[i];
}

int main(void)
{
    test_start("regs_syscall");
    read_segs();
    check_plain_calls();
    check_fork();
    check_thread_fork();                /* last: the task then has had two threads */
    return test_finish();
}
