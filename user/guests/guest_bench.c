/*
 * guest_bench - what the hypervisor's basic paths cost, in time-stamp counter cycles.
 *
 *   ./build.sh run guest_bench         (Bochs: rdtsc counts one per instruction)
 *
 * Prints "bench: NAME N cycles" lines like user/progs/bench.c, each the median of BATCHES:
 *   hv_magic        one hv_magic hypercall, INT 0xDE to the instruction after it
 *   guest_syscall   a guest-user INT 0x80 delivered to the guest kernel's handler, which
 *                   returns at once with hv_iret (the library's trap stub and C dispatch
 *                   included: a few dozen instructions)
 *   shadow_fill     the first read of a page whose guest PTE is present but whose shadow
 *                   entry is not yet filled (its frame was touched before), minus a read of
 *                   a filled one
 * Issue 10's budgets (Bochs instructions): 200, 1,500 and 800.
 */
#include "guest.h"

#define BATCHES     31
#define PER_BATCH   20
#define V_FILL      0x00800000u         /* BATCHES pages mapped to already-touched frames */
#define P_FILL      0x00600000u

static uint32_t samples[BATCHES];
static uint8_t user_stack[4096] __attribute__((aligned(16)));

static uint32_t median(void)
{
    for (int i = 1; i < BATCHES; i++)           /* insertion sort: 31 numbers */
        for (int j = i; j > 0 && samples[j - 1] > samples[j]; j--) {
            uint32_t t = samples[j];
            samples[j] = samples[j - 1];
            samples[j - 1] = t;
        }
    return samples[BATCHES / 2];
}

static void report(const char *name, uint32_t cycles)
{
    printf("bench: %s %u cycles\n", name, cycles);
}

static void bench_magic(void)
{
    for (int b = 0; b < BATCHES; b++) {
        uint32_t t = rdtsc();
        for (int i = 0; i < PER_BATCH; i++)
            hv_magic();
        samples[b] = (rdtsc() - t) / PER_BATCH;
    }
    report("hv_magic", median());
}

static void on_syscall(struct trap_frame *f)
{
    (void)f;
}

/* In guest-user mode: the system call batches. */
static void user_syscalls(void)
{
    for (int b = 0; b < BATCHES; b++) {
        uint32_t t = rdtsc();
        for (int i = 0; i < PER_BATCH; i++)
            __asm__ volatile("int $0x80" : : : "memory");
        samples[b] = (rdtsc() - t) / PER_BATCH;
    }
    user_exit(0);
}

static void bench_syscall(void)
{
    trap_install(0x80, on_syscall, 0);
    enter_user(user_syscalls, user_stack + sizeof user_stack, EFLAGS_BASE);
    report("guest_syscall", median());
}

static uint32_t timed_read(uint32_t va)
{
    uint32_t t = rdtsc();

    (void)*(volatile uint32_t *)va;
    return rdtsc() - t;
}

static void bench_shadow_fill(void)
{
    for (int b = 0; b < BATCHES; b++) {
        uint32_t va = V_FILL + b * PAGE_SIZE;
        uint32_t first = timed_read(va), again = timed_read(va);
        samples[b] = first - again;
    }
    report("shadow_fill", median());
}

int main(void)
{
    uint32_t *pd = pd_new();

    guest_name = "guest_bench";
    map_identity(pd, 0, 0x400000, PTE_P | PTE_W | PTE_U);
    for (int b = 0; b < BATCHES; b++) {
        map_page(pd, V_FILL + b * PAGE_SIZE, P_FILL + b * PAGE_SIZE, PTE_P | PTE_W);
        *(volatile uint32_t *)(P_FILL + b * PAGE_SIZE) = b;    /* touched: allocated */
    }
    hv_setpd(pd, 1);
    bench_magic();
    bench_syscall();
    bench_shadow_fill();
    return guest_finish();
}
