/*
 * bench - what the basic kernel operations cost, in CPU cycles (rdtsc).
 *
 *   ./build.sh bench         (Bochs: rdtsc counts one per instruction, so the figures are
 *                             instruction counts and the same on every run)
 *
 * Prints one line per figure, "bench: NAME CYCLES cycles":
 *   gettid          one gettid() system call, entry to return
 *   yield_threads   one switch between two threads of a task (both loop on yield(-1))
 *   yield_threads_tid   the same with yield(tid): the kernel looks the thread up first
 *   yield_tasks     one switch between two tasks (both loop on yield(-1)): yield_threads
 *                   plus the address-space switch (in Bochs only its instructions: the
 *                   cost of refilling the TLB does not show in an instruction count)
 *   thread_create   thread_spawn of a thread that does nothing, until it has vanished
 *                   (joined by yield(tid) until "no such thread")
 *   mutex_uncontended   mutex_lock + mutex_unlock of a mutex nobody else wants (no system
 *                   call: the figure is pure library code)
 *   mutex_handoff   one hand-off of a contended mutex between two threads that both loop on
 *                   lock + unlock: the unlock wakes the waiter (make_runnable), the unlocker
 *                   queues itself on its next lock and sleeps (deschedule), the waiter runs
 *   thr_create_join thr_create of a thread that returns at once, its thr_exit, and thr_join
 *                   until its stack is free again (a spare stack is reused: no new_pages)
 *   tick            the timer period: from one change of get_ticks() to the next, polling
 *   sleep_latency   how much later than a thread polling get_ticks() a thread in sleep(1)
 *                   resumes after the same tick: right after tick k (seen by polling) we call
 *                   sleep(1), which is due at tick k+1; the figure is the time to its return
 *                   minus one tick. Both sides pay the timer interrupt; the sleeper also pays
 *                   the wake-up and the switch from the idle thread, the poller one
 *                   get_ticks() call. (Negative if the switch costs less than that call.)
 *   fork_wait       fork of this program, the child's exit at once, the parent's wait
 *   fork_wait_64k   the same after the parent has written 64 KiB more (16 more pages to share)
 *   fork_exec_wait  the same as fork_wait, but the child execs `true` (the smallest program)
 *   page            new_pages of one page, a write to it, remove_pages
 *   print_1, print_64   print() of 1 or 64 bytes (on the console and COM1), with the COM1
 *                   interrupts that come meanwhile (a batch stays below the 4 KiB COM1 ring
 *                   and on the screen: no scrolling)
 *   scroll          print() of "\n" on the last row: one screen scroll and the print
 * Then it runs the guest kernel guests/guest_bench (user/guests/guest_bench.c), which prints
 * the hypervisor's figures the same way: hv_magic, guest_syscall, shadow_fill.
 * Each is the median over BATCHES samples (a batch that a timer interrupt hits costs more;
 * the median ignores it). The yields and gettid are per operation within a batch of PER_BATCH.
 */
#include <stdio.h>
#include <stdlib.h>
#include <syscall.h>
#include <thread_spawn.h>
#include <thread.h>
#include <mutex.h>

#define BATCHES         31              /* odd: the median is one of them */
#define PER_BATCH       100
#define STACK_SIZE      (8 * 1024)
#define E_SRCH          (-8)

static int samples[BATCHES];          /* cycle counts (differences fit in an int) */
static char stack[STACK_SIZE] __attribute__((aligned(16)));

/* The low half of the time-stamp counter: enough for differences below 2^32 cycles. */
static inline unsigned int cycles(void)
{
    unsigned int lo, hi;

    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return lo;
}

static int compare_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;

    return x < y ? -1 : x > y;
}

static int median(void)
{
    qsort(samples, BATCHES, sizeof samples[0], compare_int);
    return samples[BATCHES / 2];
}

static void report(const char *name, int value)
{
    printf("bench: %s %d cycles\n", name, value);
}

/* ---- gettid ---- */

static void bench_gettid(void)
{
    int b, i;
    unsigned int t0;

    for (b = 0; b < BATCHES; b++) {
        t0 = cycles();
        for (i = 0; i < PER_BATCH; i++)
            gettid();
        samples[b] = (int)((cycles() - t0) / PER_BATCH);
    }
    report("gettid", median());
}

/* ---- yield between threads ---- */

static volatile int partner_stop;
static int partner_target;              /* the partner's yield argument: -1 or our tid */

/* The other side of the ping-pong: gives the CPU straight back. */
static void yield_partner(void *arg)
{
    (void)arg;
    while (!partner_stop)
        yield(partner_target);
}

/* Two threads pass the CPU back and forth with yield(-1), or with yield(tid) if `directed`. */
static void bench_yield_threads(int directed)
{
    int b, i, partner, target;
    unsigned int t0;

    partner_stop = 0;
    partner_target = directed ? gettid() : -1;
    partner = thread_spawn(stack + STACK_SIZE, yield_partner, NULL);
    if (partner < 0) {
        printf("bench: thread_spawn failed: %d\n", partner);
        return;
    }
    target = directed ? partner : -1;
    yield(partner);                     /* warm up: the partner is in its loop */
    for (b = 0; b < BATCHES; b++) {
        t0 = cycles();
        for (i = 0; i < PER_BATCH; i++)
            yield(target);              /* there and back: two switches */
        samples[b] = (int)((cycles() - t0) / (2 * PER_BATCH));
    }
    partner_stop = 1;
    thread_gone(partner);
    report(directed ? "yield_threads_tid" : "yield_threads", median());
}

/* ---- yield between tasks ---- */

static void bench_yield_tasks(void)
{
    int b, i, child;
    unsigned int t0;

    child = fork();
    if (child == 0) {
        /* As many yields as the parent's, and some to spare for its warm-up. */
        for (i = 0; i < (BATCHES + 2) * PER_BATCH; i++)
            yield(-1);
        exit(0);
    }
    if (child < 0) {
        printf("bench: fork failed: %d\n", child);
        return;
    }
    for (i = 0; i < PER_BATCH; i++)     /* warm up: both sides copy what they write */
        yield(-1);
    for (b = 0; b < BATCHES; b++) {
        t0 = cycles();
        for (i = 0; i < PER_BATCH; i++)
            yield(-1);
        samples[b] = (int)((cycles() - t0) / (2 * PER_BATCH));
    }
    wait(NULL);
    report("yield_tasks", median());
}

/* ---- thread create and join ---- */

static void nothing(void *arg)
{
    (void)arg;
}

static void bench_thread_create(void)
{
    int b, tid;
    unsigned int t0;

    for (b = 0; b < BATCHES; b++) {
        t0 = cycles();
        tid = thread_spawn(stack + STACK_SIZE, nothing, NULL);
        if (tid < 0) {
            printf("bench: thread_spawn failed: %d\n", tid);
            return;
        }
        while (yield(tid) != E_SRCH)    /* joined once it no longer exists */
            continue;
        samples[b] = (int)(cycles() - t0);
    }
    report("thread_create", median());
}

/* ---- the thread library: mutexes and thr_create ---- */

static mutex_t bench_mutex;

static void bench_mutex_uncontended(void)
{
    int b, i;
    unsigned int t0;

    for (b = 0; b < BATCHES; b++) {
        t0 = cycles();
        for (i = 0; i < PER_BATCH; i++) {
            mutex_lock(&bench_mutex);
            mutex_unlock(&bench_mutex);
        }
        samples[b] = (int)((cycles() - t0) / PER_BATCH);
    }
    report("mutex_uncontended", median());
}

/* The other side of the hand-off ping-pong. */
static void *mutex_partner(void *arg)
{
    (void)arg;
    while (!partner_stop) {
        mutex_lock(&bench_mutex);
        mutex_unlock(&bench_mutex);
    }
    return NULL;
}

/*
 * The ping-pong starts with us holding the mutex and the partner asleep waiting for it; from
 * then on every unlock finds the other thread queued, so each one is a hand-off: ours wakes
 * the partner, and our next lock queues us until the partner's unlock hands it back.
 */
static void bench_mutex_handoff(void)
{
    int b, i, partner;
    unsigned int t0;

    partner_stop = 0;
    mutex_lock(&bench_mutex);
    if ((partner = thr_create(mutex_partner, NULL)) < 0) {
        printf("bench: thr_create failed: %d\n", partner);
        mutex_unlock(&bench_mutex);
        return;
    }
    yield(partner);                     /* it runs into mutex_lock and sleeps there */
    for (b = 0; b < BATCHES; b++) {
        t0 = cycles();
        for (i = 0; i < PER_BATCH; i++) {
            mutex_unlock(&bench_mutex); /* to the partner ... */
            mutex_lock(&bench_mutex);   /* ... and back when it unlocks */
        }
        samples[b] = (int)((cycles() - t0) / (2 * PER_BATCH));
    }
    partner_stop = 1;
    mutex_unlock(&bench_mutex);
    thr_join(partner, NULL);
    report("mutex_handoff", median());
}

static void *return_at_once(void *arg)
{
    return arg;
}

static void bench_thr_create_join(void)
{
    int b, tid;
    unsigned int t0;

    for (b = 0; b < BATCHES; b++) {
        t0 = cycles();
        tid = thr_create(return_at_once, NULL);
        if (tid < 0 || thr_join(tid, NULL) < 0) {
            printf("bench: thr_create or thr_join failed: %d\n", tid);
            return;
        }
        samples[b] = (int)(cycles() - t0);
    }
    report("thr_create_join", median());
}

/* ---- the tick, and sleep(1) ---- */

/* Polls until the tick count changes; returns the cycle count just after. */
static unsigned int next_tick(void)
{
    unsigned int t = get_ticks();

    while (get_ticks() == t)
        continue;
    return cycles();
}

static void bench_sleep(void)
{
    unsigned int t0;
    int b, tick;

    for (b = 0; b < BATCHES; b++) {
        t0 = next_tick();
        samples[b] = (int)(next_tick() - t0);
    }
    tick = median();
    report("tick", tick);
    for (b = 0; b < BATCHES; b++) {
        t0 = next_tick();
        sleep(1);                       /* due at the very next tick */
        samples[b] = (int)(cycles() - t0) - tick;
    }
    report("sleep_latency", median());
}

/* ---- tasks and memory ---- */

/* Median cost of fork + (exec of argv, if any) + exit in the child + wait in the parent. */
static void bench_fork(const char *name, char **argv)
{
    int b, pid, status;
    unsigned int t0;

    for (b = 0; b < BATCHES; b++) {
        t0 = cycles();
        pid = fork();
        if (pid == 0) {
            if (argv)
                exec(argv[0], argv);
            exit(0);
        }
        if (pid < 0 || wait(&status) != pid) {
            printf("bench: %s: fork or wait failed\n", name);
            return;
        }
        samples[b] = (int)(cycles() - t0);
    }
    report(name, median());
}

#define PAGE_AT         ((void *)0x40000000)
#define MORE_AT         ((char *)0x41000000)    /* fork_wait_64k's extra pages */

static void bench_page(void)
{
    int b;
    unsigned int t0;

    for (b = 0; b < BATCHES; b++) {
        t0 = cycles();
        if (new_pages(PAGE_AT, 4096) < 0) {
            printf("bench: page: new_pages failed\n");
            return;
        }
        *(volatile int *)PAGE_AT = 1;
        remove_pages(PAGE_AT);
        samples[b] = (int)(cycles() - t0);
    }
    report("page", median());
}

/* fork_wait after writing 64 KiB more: the fork shares 16 more pages copy-on-write. */
static void bench_fork_64k(void)
{
    if (new_pages(MORE_AT, 64 * 1024) < 0) {
        printf("bench: fork_wait_64k: new_pages failed\n");
        return;
    }
    for (int i = 0; i < 64 * 1024; i += 4096)
        MORE_AT[i] = 1;
    bench_fork("fork_wait_64k", NULL);
    remove_pages(MORE_AT);
}

/* ---- the console ---- */

/* Median per-print cost of `count` prints of len bytes of text, in batches small enough for
 * the COM1 ring; the ring drains (a sleep) between batches. A batch starts at row `row`: at
 * the top, it fits on the screen (no scrolling); on the last row, every newline scrolls. */
static void bench_print(const char *name, const char *text, int len, int count, int row)
{
    int b, i;
    unsigned int t0;

    for (b = 0; b < BATCHES; b++) {
        sleep(20);                      /* COM1 sends 1,150 bytes a second of 100 ticks */
        set_cursor_pos(row, 0);
        t0 = cycles();
        for (i = 0; i < count; i++)
            print(len, (char *)text);
        samples[b] = (int)((cycles() - t0) / (unsigned int)count);
        print(1, "\n");
    }
    report(name, median());
}

static void bench_console(void)
{
    static const char spaces[] = "                                "
                                 "                                ";
    bench_print("print_1", " ", 1, 40, 0);
    bench_print("print_64", spaces, 64, 16, 0);
    bench_print("scroll", "\n", 1, 16, 24);
    set_cursor_pos(24, 0);
    print(1, "\n");
}

/* ---- the hypervisor: a guest kernel measures itself ---- */

static void bench_guest(void)
{
    static char *argv[] = { "guests/guest_bench", NULL };
    int pid = fork(), status = 0;

    if (pid == 0) {
        exec(argv[0], argv);
        printf("bench: cannot run %s\n", argv[0]);
        exit(1);
    }
    if (pid < 0 || wait(&status) < 0 || status != 0)
        printf("bench: %s failed (status %d)\n", argv[0], status);
}

int main(void)
{
    static char *true_argv[] = { "true", NULL };

    bench_gettid();
    bench_yield_threads(0);
    bench_yield_threads(1);
    bench_yield_tasks();
    bench_thread_create();
    bench_fork("fork_wait", NULL);
    bench_fork_64k();
    bench_fork("fork_exec_wait", true_argv);
    bench_page();
    bench_console();
    if (thr_init(8 * 1024) < 0)
        printf("bench: thr_init failed\n");
    bench_mutex_uncontended();
    bench_mutex_handoff();
    bench_thr_create_join();
    bench_sleep();
    bench_guest();
    return 0;
}
