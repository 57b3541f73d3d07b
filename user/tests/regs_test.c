/*
 * regs_test - every general register survives preemption.
 *
 * THREADS threads (the first one included) each load eax, ebx, ecx, edx, esi, edi and ebp
 * with values of their own, spin in a loop that touches only memory, and then compare every
 * register with what it loaded. Each round uses new values (a pseudo-random sequence per
 * thread), so a register restored from another thread or from an older round is noticed.
 * They go on until TICKS_WANTED timer ticks have passed, i.e. across thousands of preemptions;
 * they also count how often they saw another thread run in between, to be sure preemption
 * happened at all. A mismatch prints the registers and ends the task with status 1.
 *
 * Run it under misbehave too (the .t files pass "-m MODE" to init).
 */
#include <stdio.h>
#include <stdlib.h>
#include <syscall.h>
#include <thread_spawn.h>

#define THREADS         8
#define STACK_SIZE      (8 * 1024)      /* printf needs over 1 KiB */
#define TICKS_WANTED    2000            /* each tick may preempt: thousands of switches */
#define ROUNDS_PER_CALL 4               /* between two looks at the clock */
#define MIN_SWITCHES    (TICKS_WANTED / 20) /* without preemption: about THREADS */
#define NREGS           7

/* One thread's registers: the value sequence and, after a mismatch, what was seen. */
struct regs_state {
    unsigned int v;                     /* advanced by the asm loop every round */
    unsigned int got[NREGS];            /* eax ebx ecx edx esi edi ebp, as found */
    unsigned int want[NREGS];           /* ... and as loaded */
};

/*
 * int regs_rounds(struct regs_state *st, int rounds): `rounds` times, load all seven
 * registers, spin 500 times on a memory counter, compare. Returns 0, or 1 after filling
 * st->got/want at the first mismatch. Written in assembly because C cannot hold every
 * register at once. Stack after the 4 pushes and "sub esp, 40":
 *   [esp+0..24]  want[0..6]     [esp+28] spin counter    [esp+32] rounds left
 *   [esp+36]     st             [esp+56] return address  [esp+60] st arg, [esp+64] rounds
 */
__asm__(
    ".text\n"
    ".globl regs_rounds\n"
    "regs_rounds:\n"
    "    pushl %ebp\n"
    "    pushl %ebx\n"
    "    pushl %esi\n"
    "    pushl %edi\n"
    "    subl $40, %esp\n"
    "    movl 60(%esp), %eax\n"
    "    movl %eax, 36(%esp)\n"            /* local st = st */
    "    movl 64(%esp), %eax\n"
    "    movl %eax, 32(%esp)\n"            /* rounds left = rounds */
    "1:  movl 36(%esp), %ebx\n"
    "    movl (%ebx), %eax\n"
    "    imull $1664525, %eax, %eax\n"     /* st->v = st->v * 1664525 + 1013904223 */
    "    addl $1013904223, %eax\n"
    "    movl %eax, (%ebx)\n"
    /* want[i] = v ^ a different constant per register */
    "    movl %eax, %ecx\n  xorl $0x11111111, %ecx\n  movl %ecx, 0(%esp)\n"
    "    movl %eax, %ecx\n  xorl $0x22222222, %ecx\n  movl %ecx, 4(%esp)\n"
    "    movl %eax, %ecx\n  xorl $0x33333333, %ecx\n  movl %ecx, 8(%esp)\n"
    "    movl %eax, %ecx\n  xorl $0x44444444, %ecx\n  movl %ecx, 12(%esp)\n"
    "    movl %eax, %ecx\n  xorl $0x55555555, %ecx\n  movl %ecx, 16(%esp)\n"
    "    movl %eax, %ecx\n  xorl $0x66666666, %ecx\n  movl %ecx, 20(%esp)\n"
    "    movl %eax, %ecx\n  xorl $0x77777777, %ecx\n  movl %ecx, 24(%esp)\n"
    /* load every register from want[] */
    "    movl 0(%esp), %eax\n"
    "    movl 4(%esp), %ebx\n"
    "    movl 8(%esp), %ecx\n"
    "    movl 12(%esp), %edx\n"
    "    movl 16(%esp), %esi\n"
    "    movl 20(%esp), %edi\n"
    "    movl 24(%esp), %ebp\n"
    "    movl $500, 28(%esp)\n"            /* spin = 500 */
    "2:  decl 28(%esp)\n"                  /* while (--spin) ;   registers untouched */
    "    jnz 2b\n"
    "    cmpl 0(%esp), %eax\n   jne 3f\n"
    "    cmpl 4(%esp), %ebx\n   jne 3f\n"
    "    cmpl 8(%esp), %ecx\n   jne 3f\n"
    "    cmpl 12(%esp), %edx\n  jne 3f\n"
    "    cmpl 16(%esp), %esi\n  jne 3f\n"
    "    cmpl 20(%esp), %edi\n  jne 3f\n"
    "    cmpl 24(%esp), %ebp\n  jne 3f\n"
    "    decl 32(%esp)\n"                  /* while (--rounds left) */
    "    jnz 1b\n"
    "    xorl %eax, %eax\n"                /* return 0 */
    "    jmp 4f\n"
    /* mismatch: st->got[] = the registers, st->want[] = want[]; return 1 */
    "3:  pushl %eax\n"
    "    movl 40(%esp), %eax\n"            /* eax = st (36 + the push) */
    "    popl 4(%eax)\n"                   /* got[0] = the eax we found */
    "    movl %ebx, 8(%eax)\n"
    "    movl %ecx, 12(%eax)\n"
    "    movl %edx, 16(%eax)\n"
    "    movl %esi, 20(%eax)\n"
    "    movl %edi, 24(%eax)\n"
    "    movl %ebp, 28(%eax)\n"
    "    movl 0(%esp), %ecx\n   movl %ecx, 32(%eax)\n"
    "    movl 4(%esp), %ecx\n   movl %ecx, 36(%eax)\n"
    "    movl 8(%esp), %ecx\n   movl %ecx, 40(%eax)\n"
    "    movl 12(%esp), %ecx\n  movl %ecx, 44(%eax)\n"
    "    movl 16(%esp), %ecx\n  movl %ecx, 48(%eax)\n"
    "    movl 20(%esp), %ecx\n  movl %ecx, 52(%eax)\n"
    "    movl 24(%esp), %ecx\n  movl %ecx, 56(%eax)\n"
    "    movl $1, %eax\n"
    "4:  addl $40, %esp\n"
    "    popl %edi\n"
    "    popl %esi\n"
    "    popl %ebx\n"
    "    popl %ebp\n"
    "    ret\n");

int regs_rounds(struct regs_state *st, int rounds);

static const char *reg_names[NREGS] = { "eax", "ebx", "ecx", "edx", "esi", "edi", "ebp" };

static struct regs_state state[THREADS];
static char stacks[THREADS][STACK_SIZE] __attribute__((aligned(16)));
static unsigned int deadline;           /* the tick at which everyone stops */
static volatile int last_runner = -1;   /* who finished the latest batch of rounds */
static volatile int switches;           /* batches that followed another thread's */
static volatile int rounds_done[THREADS];
static volatile int finished;

static void report_mismatch(int i)
{
    int r;

    printf("regs_test: FAILED: thread %d (tid %d) found its registers changed\n", i, gettid());
    for (r = 0; r < NREGS; r++)
        printf("regs_test:   %s = 0x%08x, loaded 0x%08x%s\n", reg_names[r], state[i].got[r],
               state[i].want[r], state[i].got[r] != state[i].want[r] ? "  <-- wrong" : "");
    exit(1);
}

/* Thread i: rounds until the deadline. */
static void worker(void *arg)
{
    int i = (int)arg;

    while ((int)(get_ticks() - deadline) < 0) {
        if (regs_rounds(&state[i], ROUNDS_PER_CALL) != 0)
            report_mismatch(i);
        rounds_done[i] += ROUNDS_PER_CALL;
        if (last_runner != i) {
            if (last_runner >= 0)
                atomic_add(&switches, 1);
            last_runner = i;
        }
    }
    atomic_add(&finished, 1);
}

int main(void)
{
    unsigned int start = get_ticks();
    int i, tid, failures = 0;

    deadline = start + TICKS_WANTED;
    for (i = 0; i < THREADS; i++)
        state[i].v = 0x9E3779B9u * (unsigned int)(i + 1);   /* a different sequence each */
    for (i = 1; i < THREADS; i++) {
        tid = thread_spawn(stacks[i] + STACK_SIZE, worker, (void *)i);
        if (tid < 0) {
            printf("regs_test: FAILED: thread_spawn %d: error %d\n", i, tid);
            exit(1);
        }
    }
    worker((void *)0);
    while (finished < THREADS)
        yield(-1);
    for (i = 0; i < THREADS; i++) {
        if (rounds_done[i] == 0) {
            printf("regs_test: FAILED: thread %d never ran a round\n", i);
            failures++;
        }
    }
    if (switches < MIN_SWITCHES) {
        printf("regs_test: FAILED: only %d thread switches seen (want >= %d)\n", switches,
               MIN_SWITCHES);
        failures++;
    }
    printf("regs_test: %d threads, %d switches seen in %u ticks\n", THREADS, switches,
           get_ticks() - start);
    if (failures)
        return 1;
    printf("regs_test: ok\n");
    return 0;
}
