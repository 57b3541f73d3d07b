/*
 * fuzz [N] [SEED] [-CALL...] - N random system calls (default 100000) with hostile arguments,
 * from many tasks and threads, while memory is mapped and unmapped under the calls: whatever
 * programs do, the kernel must stay up and give every frame back (init checks that at the end).
 *
 * The run is repeatable: it prints "fuzz: seed S" first, and `fuzz N S` makes the same calls
 * (on the instruction-counting emulators of the test harness, the same run). Without SEED the
 * seed comes from the timer. `./build.sh fuzz N SEED` runs it. -CALL leaves that call out
 * (e.g. -new_console), to look past a bug already found.
 *
 * The calls are shared out to fuzz tasks, TASKS_AT_ONCE alive at a time, each forked by the
 * main task with CALLS_PER_TASK of them. Before each fork the main task sets the next
 * misbehave mode (0..7 in turn); the tasks call misbehave too. Most tasks are threaded:
 *   - workers (1..MAX_WORKERS threads, thread_spawn) make the calls. With two or more, the
 *     first may also make calls that block for good (getchar, readline, a long sleep): it
 *     waits there until the task ends, and the others go on;
 *   - a flipper thread maps and unmaps the region FLIP again and again, while the workers
 *     pass pointers into it (and packets in it) to print, readfile, get_cursor_pos, swexn...;
 *   - the first thread supervises: it makes no call of the fuzz, wakes descheduled workers,
 *     starts a worker again where one died (a fault, vanish, its stack removed), and ends the
 *     task with exit once the task's calls are made or nothing moved for STALL_TICKS. So no
 *     call can hold up the run for ever: blocked threads end with their task.
 * Every SOLO_EVERY-th task is single-threaded instead, so that fork, exec and wait get past
 * their "other threads" check; it never makes a call that could block it for ever, and exec
 * only names files that are no program.
 *
 * Arguments mix good values with kernel addresses, unmapped ones, the last page, pointers
 * that cross into unmapped or kernel memory, misaligned ones, huge and negative lengths, and
 * random words. A random word that falls on the memory the supervisor lives on (the program
 * image, the stacks) is moved elsewhere, so that only the calls are hostile, not our own
 * scribbling. Faults are welcome: they end a worker (started again) or a forked child.
 *
 * A task reports through its exit status: calls made, plus DEATH_UNIT per worker that died;
 * a worker that ends its task with task_vanish gives VANISHED minus the calls made. At the end
 * the main task prints "fuzz: N calls, K tasks killed, kernel alive", K counting the tasks
 * that did not end through their supervisor.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include <thread_spawn.h>

#define DEFAULT_CALLS   100000
#define TASKS_AT_ONCE   4
#define CALLS_PER_TASK  2000
#define SOLO_EVERY      4               /* every 4th task is single-threaded */
#define FORKED_CALLS    20              /* calls a child forked by a solo task makes */
#define MAX_WORKERS     4
#define STALL_TICKS     300             /* a threaded task ends when nothing moved this long */
#define RESTARTS_MAX    8               /* times the fault handler restarts one worker */
#define DEATH_UNIT      (1 << 20)       /* exit status: calls + DEATH_UNIT * dead workers */
#define DEATHS_MAX      2047            /* so that the status stays positive */
#define VANISHED        (-1000000)      /* exit status of task_vanish by a worker, minus calls */
#define FORK_RETRIES    200             /* failed forks in a row, nothing running: give up */
#define IDLE_MAX        100             /* tasks in a row that made no call: give up */
#define SHORT_PRINT     64              /* print lengths up to this may have good pointers */

/* The fuzz task's own regions (new_pages): the flipped one, and one slot per thread. */
#define FLIP            0x50000000u
#define FLIP_PAGES      4
#define SLOTS           0x60000000u     /* thread i: SLOTS + i * SLOT_SPAN */
#define SLOT_SPAN       0x10000u        /* unmapped gaps between slots catch overflows */
#define STACK_SIZE      0x4000u         /* then one page of exception stack above it */
#define SLOT_SIZE       (STACK_SIZE + PAGE_SIZE)
#define FLIPPER         MAX_WORKERS     /* the flipper's slot */
#define NSLOTS          (MAX_WORKERS + 1)
#define SOLO_ARENA      NSLOTS          /* the arena of a solo task's one thread */
#define IMAGE           0x01000000u     /* our program image starts here */
#define STACK_ZONE      0xFFE00000u     /* the first thread's stack and its room to grow */

#define E_SRCH          (-8)
#define EFLAGS_USER     0x00000202u     /* IF and the always-one bit */
#define EFLAGS_FREE     0x000408D5u     /* CF PF AF ZF SF OF AC: a ureg may set them */
#define EFLAGS_TF       0x00000100u
#define EFLAGS_DF_BIT   10
#define UREG_EFLAGS     17              /* word index of eflags in ureg_t */

enum mode {
    WORKER,         /* a thread of a threaded task */
    PARKING,        /* the same, and it may block for good: the task's end ends the call */
    SOLO,           /* the one thread of its task: nothing that could block it for ever */
    FORKED,         /* a child of a solo task: as SOLO, and no fork */
};

/* What a thread's random calls may scribble on: its packet, buffer and register set. */
static struct arena {
    unsigned int packet[16];
    char buf[2048];
    ureg_t ureg;
} arenas[NSLOTS + 1] __attribute__((aligned(PAGE_SIZE)));

/* One thread's fuzzing: its random state, arena, mode and slot (-1: not a worker). */
struct ctx {
    unsigned int rng;
    struct arena *a;
    enum mode m;
    int slot;
};

/* The supervisor's state, shared with its threads (never passed to a call). */
static struct {
    volatile int claimed;               /* calls taken by workers (may pass quota) */
    int quota;
    int workers;
    int tids[NSLOTS];
    int restarts[NSLOTS];               /* by the fault handler */
    unsigned int starts[NSLOTS];        /* each start of a worker takes a new seed */
    unsigned int seed;
    unsigned int user_cs, user_ss;
} fz;

static int one = 1, zero;               /* deschedule: returns at once / sleeps */
static int ones[2] = { -1, -1 };        /* a misaligned word in them is not 0 either */
static const unsigned int no_sleep[] = {  /* deschedule's pointers that never sleep */
    (unsigned int)&one, (unsigned int)ones + 1, 0, 0x00100000, 0xFFFFFFFF, 0xFFFFFFFE,
};
static const unsigned int no_name[] = {  /* exec's names and packets that name no file */
    0, 0x00100000, 0xDEAD0000, FLIP, 0xFFFFFFFF, 0xFFFFFFFE,
};
static char long_name[300];             /* longer than any file name may be */
static const char *const names[] = {
    "hello.txt", "lines.txt", "guests", ".", "", "nosuch", "guests/nosuch", "/", "./hello.txt",
};

static int threaded(const struct ctx *c)
{
    return c->m == WORKER || c->m == PARKING;
}

/*==== Random numbers ====*/

/* xorshift32: each thread keeps its own state, so threads do not share one sequence. */
static unsigned int rnd(struct ctx *c)
{
    unsigned int x = c->rng;

    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return c->rng = x ? x : 0x9E3779B9u;
}

/* A seed for part `part` of the run, spread out so that neighbours differ in every bit. */
static unsigned int mix(unsigned int seed, unsigned int part)
{
    unsigned int x = seed ^ (part * 0x9E3779B9u);

    x = (x ^ (x >> 16)) * 0x85EBCA6Bu;
    x = (x ^ (x >> 13)) * 0xC2B2AE35u;
    return (x ^ (x >> 16)) | 1;
}

#define PICK(c, array) ((array)[rnd(c) % (sizeof(array) / sizeof((array)[0]))])

/*==== Hostile arguments ====*/

/* Moves a random word off the memory the supervisor runs on: the image (but for the
 * arenas), the first thread's stack, the thread slots. */
static unsigned int off_our_memory(unsigned int v)
{
    extern char _end[];
    unsigned int end = ((unsigned int)_end + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    unsigned int a0 = (unsigned int)arenas, a1 = (unsigned int)(arenas + NSLOTS + 1);

    if (v >= IMAGE && v < end && !(v >= a0 && v < a1))
        return a0 + v % (a1 - a0);
    if (v >= STACK_ZONE && v < 0xFFFFF000u)
        return 0xFFFFF000u | (v & 0xFFF);
    if (v >= SLOTS && v < SLOTS + NSLOTS * SLOT_SPAN)
        return FLIP + (v & 0x3FFF);
    return v;
}

/* A pointer: kernel, unmapped, last page, crossing, misaligned, flipped, or good. */
static unsigned int hostile_ptr(struct ctx *c)
{
    static const unsigned int fixed[] = {
        0, 4, 0x1000, 0x00100000, 0x00FFFFFC, 0x00FFFFFE, 0xFFFFFFFF, 0xFFFFFFFC,
        0xFFFFF000, 0xFFFFFFF0, 0xDEAD0000, 0x7FFFFFF0, 0x40000000, 0xC0000000,
    };
    static const unsigned int flip_at[] = {
        0, 1, 3, 4, 0xFFC, 0xFFD, 0xFFF, 0x1000, FLIP_PAGES * PAGE_SIZE - 2,
    };

    switch (rnd(c) % 10) {
    case 0: case 1: return PICK(c, fixed);
    case 2: case 3: return FLIP + PICK(c, flip_at);
    case 4: case 5: return (unsigned int)c->a + rnd(c) % sizeof *c->a;
    case 6: return (unsigned int)c->a->buf;
    case 7: return IMAGE + rnd(c) % 0x2000;         /* our text: readable, not writable */
    default: return off_our_memory(rnd(c));
    }
}

/* A length or count: small, page-sized, huge, negative. */
static unsigned int hostile_len(struct ctx *c)
{
    static const unsigned int fixed[] = {
        0, 1, 4, 40, 4095, 4096, 4097, 8192, 65536, 65537, 0x7FFFFFFF, 0x80000000,
        0xFFFFFFFF, 0xFFFFF000, 0x10000000,
    };

    return rnd(c) % 3 ? PICK(c, fixed) : rnd(c) % 5000;
}

/* A thread id: of this task, a neighbour's, none, or nonsense. */
static unsigned int hostile_tid(struct ctx *c)
{
    switch (rnd(c) % 5) {
    case 0: return (unsigned int)fz.tids[rnd(c) % NSLOTS];
    case 1: return (unsigned int)gettid() + rnd(c) % 9 - 4;
    case 2: return rnd(c) % 64;
    case 3: return (unsigned int)-1;
    default: return rnd(c);
    }
}

/* Any word, for the arguments that are neither pointers nor lengths. */
static unsigned int hostile_word(struct ctx *c)
{
    switch (rnd(c) % 3) {
    case 0: return rnd(c) % 200 - 100;
    case 1: return hostile_len(c);
    default: return off_our_memory(rnd(c));
    }
}

/*==== System calls made raw ====*/

/* The calls by name, for -CALL; left_out[vector] is set for those left out. */
static const struct {
    const char *name;
    int vector;
} calls[] = {
    { "fork", 0x41 }, { "exec", 0x42 }, { "wait", 0x44 }, { "yield", 0x45 },
    { "deschedule", 0x46 }, { "make_runnable", 0x47 }, { "gettid", 0x48 },
    { "new_pages", 0x49 }, { "remove_pages", 0x4A }, { "sleep", 0x4B }, { "getchar", 0x4C },
    { "readline", 0x4D }, { "print", 0x4E }, { "set_term_color", 0x4F },
    { "set_cursor_pos", 0x50 }, { "get_cursor_pos", 0x51 }, { "get_ticks", 0x53 },
    { "misbehave", 0x54 }, { "task_vanish", 0x57 }, { "new_console", 0x58 },
    { "set_status", 0x59 }, { "vanish", 0x60 }, { "readfile", 0x62 }, { "swexn", 0x74 },
    { "free_frames", 0x80 }, { "log_print", 0x81 },
};
static unsigned char left_out[256];

/* INT n needs a constant n: one case per vector. The last ones have no gate: a fault. */
#define INT(n) case n: __asm__ volatile("int $" #n : "=a"(r) : "S"(esi) : "memory"); break
static int raw(int vector, unsigned int esi)
{
    int r = -1;

    if (left_out[vector & 0xFF])
        return r;
    switch (vector) {
    INT(0x41); INT(0x42); INT(0x44); INT(0x45); INT(0x46); INT(0x47); INT(0x48); INT(0x49);
    INT(0x4A); INT(0x4B); INT(0x4C); INT(0x4D); INT(0x4E); INT(0x4F); INT(0x50); INT(0x51);
    INT(0x53); INT(0x54); INT(0x57); INT(0x58); INT(0x59); INT(0x60); INT(0x62); INT(0x74);
    INT(0x80); INT(0x81);
    INT(0x43); INT(0x56); INT(0x61); INT(0x8E); INT(0xDE);
    }
    return r;
}

/* Puts n argument words in the arena's packet and returns the packet for %esi: mostly that
 * one, sometimes the flipped region (zero or unmapped) or a hostile pointer. */
static unsigned int packet(struct ctx *c, int n, const unsigned int *v)
{
    for (int i = 0; i < n; i++)
        c->a->packet[i] = v[i];
    switch (rnd(c) % 10) {
    case 0: return FLIP + (rnd(c) % 2) * (PAGE_SIZE - 4);
    case 1: return hostile_ptr(c);
    case 2: return (unsigned int)c->a->packet + 1;             /* misaligned */
    default: return (unsigned int)c->a->packet;
    }
}

/*==== The calls ====*/

/* new_pages anywhere (the flipped region too) and remove_pages, thread stacks included. */
static void call_memory(struct ctx *c)
{
    static const unsigned int bases[] = {
        FLIP, 0xFFFFF000, 0x01000000, 0x00FFF000, 0x70000000, 0xFFFFE000, 0x70000001,
    };
    unsigned int v[2];

    if (rnd(c) % 2) {
        v[0] = rnd(c) % 3 ? PICK(c, bases) : off_our_memory(rnd(c) & ~0xFFFu);
        v[1] = rnd(c) % 2 ? (rnd(c) % 8 + 1) * PAGE_SIZE : hostile_len(c);
        raw(0x49, packet(c, 2, v));
    } else if (threaded(c) && rnd(c) % 50 == 0) {
        raw(0x4A, SLOTS + rnd(c) % NSLOTS * SLOT_SPAN);        /* pull a stack away */
    } else {
        raw(0x4A, rnd(c) % 2 ? PICK(c, bases) : hostile_ptr(c));
    }
}

/* print and log_print arguments: a short length with any pointer, or a long one with a
 * pointer that cannot be all mapped, so that the log does not fill up with noise. */
static void print_args(struct ctx *c, unsigned int *v)
{
    static const unsigned int short_of[] = {
        0, 0x00100000, 0x00FFFFFE, 0xFFFFFFF0, FLIP + FLIP_PAGES * PAGE_SIZE - 2,
    };

    v[0] = rnd(c) % 4 ? rnd(c) % 12 : hostile_len(c);
    v[1] = v[0] <= SHORT_PRINT ? hostile_ptr(c) : PICK(c, short_of);
}

/* readline into memory it may not write (or len 0), so that it returns at once; where the
 * thread may block for good, sometimes into memory that may be mapped. */
static void call_readline(struct ctx *c)
{
    static const unsigned int unwritable[] = { 0, 0x00100000, 0x00FFFFFC, IMAGE };
    unsigned int v[2];

    v[0] = hostile_len(c);
    v[1] = PICK(c, unwritable) + rnd(c) % 8;
    if (c->m == PARKING && rnd(c) % 4 == 0)
        v[1] = rnd(c) % 2 ? FLIP : 0xDEAD0000;
    raw(0x4D, packet(c, 2, v));
}

/* Console calls: print, colours, the cursor, a new console (freed when the task ends). */
static void call_console(struct ctx *c)
{
    unsigned int v[2];

    switch (rnd(c) % 6) {
    case 0:
        print_args(c, v);
        raw(0x4E, packet(c, 2, v));
        break;
    case 1:
        raw(0x4F, rnd(c) % 2 ? rnd(c) % 256 : hostile_word(c));
        break;
    case 2:
        v[0] = rnd(c) % 2 ? rnd(c) % 27 - 1 : hostile_word(c);
        v[1] = rnd(c) % 2 ? rnd(c) % 82 - 1 : hostile_word(c);
        raw(0x50, packet(c, 2, v));
        break;
    case 3:
        v[0] = hostile_ptr(c);
        v[1] = hostile_ptr(c);
        raw(0x51, packet(c, 2, v));
        break;
    case 4:
        call_readline(c);
        break;
    default:
        raw(0x58, 0);
    }
}

/* readfile (names good and bad, buffers good half the time) and log_print. */
static void call_files(struct ctx *c)
{
    unsigned int v[4];

    if (rnd(c) % 4 == 0) {
        print_args(c, v);
        raw(0x81, packet(c, 2, v));
        return;
    }
    v[0] = rnd(c) % 3 ? (unsigned int)PICK(c, names) : hostile_ptr(c);
    if (v[0] == (unsigned int)names[3] && rnd(c) % 8)
        v[0] = (unsigned int)names[0];      /* the "." listing walks the disk: keep it rare */
    if (rnd(c) % 2) {
        v[1] = (unsigned int)c->a->buf;
        v[2] = rnd(c) % sizeof c->a->buf;
    } else {
        v[1] = hostile_ptr(c);
        v[2] = rnd(c) % 2 ? rnd(c) % 600 : hostile_len(c);
    }
    v[3] = rnd(c) % 2 ? rnd(c) % 200 : hostile_len(c);
    raw(0x62, packet(c, 4, v));
}

/* Scheduling calls: yield, make_runnable, deschedule (it returns at once, or the supervisor
 * wakes it), sleep (short, unless the thread may block for good), misbehave, quick ones. */
static void call_sched(struct ctx *c)
{
    static const int quick[] = { 0x48, 0x53, 0x80 };     /* gettid, get_ticks, free_frames */

    switch (rnd(c) % 6) {
    case 0: raw(0x45, hostile_tid(c)); break;
    case 1: raw(0x47, hostile_tid(c)); break;
    case 2:
        if (threaded(c) && rnd(c) % 4 == 0)
            raw(0x46, rnd(c) % 2 ? (unsigned int)&zero : FLIP);
        else
            raw(0x46, PICK(c, no_sleep));
        break;
    case 3: raw(0x4B, c->m == PARKING && rnd(c) % 10 == 0 ? hostile_word(c) : rnd(c) % 3);
            break;
    case 4: raw(0x54, rnd(c) % 4 ? rnd(c) % 8 : hostile_word(c)); break;
    default: raw(PICK(c, quick), 0);
    }
}

/* exec of names that are no program, so that it must fail: a solo task would run the
 * program (a shell would wait for keys for ever). Hence no packet or name from the arena,
 * where readfile may have left a listing of the disk. argv may be anything. */
static void call_exec(struct ctx *c)
{
    unsigned int *p = c->a->packet;

    p[0] = rnd(c) % 2 ? (unsigned int)PICK(c, names) : (unsigned int)long_name;
    if (rnd(c) % 3 == 0)
        p[0] = PICK(c, no_name);
    p[1] = rnd(c) % 2 ? (unsigned int)&p[8] : hostile_ptr(c);
    p[8] = p[0];
    p[9] = rnd(c) % 2 ? hostile_ptr(c) : 0;
    raw(0x42, rnd(c) % 5 ? (unsigned int)p : PICK(c, no_name));
}

static void fuzz_calls(struct ctx *c, int calls);

/* Task calls: wait, set_status, fork and exec (both refused while threads run; in a solo
 * task a forked child makes a few calls and exits). */
static void call_task(struct ctx *c)
{
    switch (rnd(c) % 4) {
    case 0: raw(0x44, rnd(c) % 2 ? (unsigned int)c->a->packet : hostile_ptr(c)); break;
    case 1: raw(0x59, hostile_word(c)); break;
    case 2:
        if (c->m == FORKED || raw(0x41, 0) != 0)
            break;
        c->m = FORKED;
        fuzz_calls(c, FORKED_CALLS);
        exit(0);
    default: call_exec(c);
    }
}

/*==== Exceptions: swexn, and the handler that restarts a worker ====*/

static void worker_resume(void);

/* The slot that holds address `at` (a thread's stack or exception stack). */
static int slot_of(unsigned int at)
{
    return (int)((at - SLOTS) / SLOT_SPAN);
}

static unsigned int stack_top(int i)
{
    return SLOTS + (unsigned int)i * SLOT_SPAN + STACK_SIZE - 16;
}

static unsigned int xstack_top(int i)
{
    return SLOTS + (unsigned int)i * SLOT_SPAN + SLOT_SIZE;
}

/* Registers that start worker_resume on worker i's stack: what swexn must accept. */
static void resume_regs(ureg_t *u, int i, unsigned int flags)
{
    memset(u, 0, sizeof *u);
    u->ds = u->es = u->fs = u->gs = u->ss = fz.user_ss;
    u->cs = fz.user_cs;
    u->eip = (unsigned int)worker_resume;
    u->esp = stack_top(i);
    u->eflags = EFLAGS_USER | flags;
}

/* A worker faulted (its handler was registered by a random swexn): start it afresh on its
 * stack, with the handler again, a few times; after that let it die. */
static void fault_handler(void *arg, ureg_t *u)
{
    int i = slot_of((unsigned int)&u);
    ureg_t fresh;

    (void)arg;
    if (i < 0 || i >= MAX_WORKERS || ++fz.restarts[i] > RESTARTS_MAX)
        vanish();
    resume_regs(&fresh, i, 0);
    swexn((void *)xstack_top(i), fault_handler, NULL, &fresh);
    vanish();                           /* not reached unless swexn refused */
}

/* A register set for swexn: the worker's fresh start, with random arithmetic flags, maybe
 * TF, and maybe one bit flipped in a selector, a general register, eflags or esp (never
 * eip: that would run our code from anywhere; never DF, which C code takes to be clear).
 * Outside a threaded task, always a wrong cs so that swexn refuses: the one thread has
 * nowhere sane to go. */
static void swexn_regs(struct ctx *c, ureg_t *u)
{
    static const unsigned char flippable[] = { 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 16,
                                               UREG_EFLAGS, 18, 19 };  /* words of ureg_t */
    unsigned int word = PICK(c, flippable), bit = rnd(c) % 32;

    resume_regs(u, c->slot, rnd(c) & EFLAGS_FREE);
    if (rnd(c) % 8 == 0)
        u->eflags |= EFLAGS_TF;
    if (!threaded(c))
        u->cs ^= 1 + rnd(c) % 255;
    else if (rnd(c) % 3 == 0 && !(word == UREG_EFLAGS && bit == EFLAGS_DF_BIT))
        ((unsigned int *)u)[word] ^= 1u << bit;
}

/* swexn with hostile and good handlers, handler stacks and register sets. */
static void call_swexn(struct ctx *c)
{
    static const unsigned int bad_eip[] = { 0, 0x00100000, 0xDEAD0000, 0x00FFFFFF };
    unsigned int v[4];

    v[0] = threaded(c) && rnd(c) % 2 ? xstack_top(c->slot) : hostile_ptr(c);
    v[1] = threaded(c) && rnd(c) % 2 ? (unsigned int)fault_handler : PICK(c, bad_eip);
    v[2] = hostile_word(c);
    switch (rnd(c) % 4) {
    case 0: v[3] = 0; break;
    case 1: v[3] = hostile_ptr(c); break;
    default:
        swexn_regs(c, &c->a->ureg);
        v[3] = (unsigned int)&c->a->ureg;
    }
    raw(0x74, packet(c, 4, v));
}

/*==== Workers, flipper, supervisor ====*/

/* The calls of the task's share made so far. */
static int made(void)
{
    return fz.claimed < fz.quota ? fz.claimed : fz.quota;
}

/* One random call of any kind, in proportions per 1000; the rare last ones end the thread
 * (getchar may wait for good, vanish, a vector without a gate) or the whole task. */
static void fuzz_call(struct ctx *c)
{
    static const int no_gate[] = { 0x43, 0x56, 0x61, 0x8E, 0xDE };
    unsigned int r = rnd(c) % 1000;

    if (r < 200) call_memory(c);
    else if (r < 380) call_console(c);
    else if (r < 530) call_files(c);
    else if (r < 730) call_sched(c);
    else if (r < 820) call_task(c);
    else if (r < 980) call_swexn(c);
    else if (r < 985 && c->m == PARKING) raw(0x4C, 0);
    else if (r < 988 && threaded(c)) raw(0x60, 0);
    else if (r < 998 && c->m != SOLO) raw(PICK(c, no_gate), 0);
    else if (r == 999 && c->m != FORKED && rnd(c) % 8 == 0) raw(0x57, VANISHED - made());
}

/* `calls` calls in a row: a solo task, or a child it forked. */
static void fuzz_calls(struct ctx *c, int calls)
{
    for (int i = 0; i < calls; i++) {
        fz.claimed++;
        fuzz_call(c);
    }
}

/* A worker: takes calls from the task's share until none is left. A start by swexn or the
 * fault handler takes a new seed, or the same calls would come round again and again. */
static void worker(void *arg)
{
    int i = (int)arg;
    struct ctx c = { 0, &arenas[i], WORKER, i };

    if (i < 0 || i >= MAX_WORKERS)
        return;                         /* resumed on a stack not its own */
    c.rng = mix(fz.seed, (unsigned int)i * 7919u + ++fz.starts[i] * 104729u);
    if (i == 0 && fz.workers > 1)
        c.m = PARKING;
    while (atomic_add(&fz.claimed, 1) < fz.quota)
        fuzz_call(&c);
}

/* Where the fault handler and good swexn register sets send a worker: its loop again. */
static void __attribute__((noinline, noreturn)) worker_resume(void)
{
    int here;

    worker((void *)slot_of((unsigned int)&here));
    vanish();
    for (;;)
        ;
}

/* The flipper: maps FLIP (1..FLIP_PAGES pages, a byte written), lets others run, unmaps
 * it, for as long as the task lives. */
static void flipper(void *arg)
{
    struct ctx c = { mix(fz.seed, 0xF11Fu), NULL, WORKER, FLIPPER };

    (void)arg;
    for (;;) {
        if (new_pages((void *)FLIP, (int)(rnd(&c) % FLIP_PAGES + 1) * PAGE_SIZE) == 0
            && rnd(&c) % 2)
            *(volatile char *)(FLIP + rnd(&c) % PAGE_SIZE) = (char)rnd(&c);
        if (rnd(&c) % 2)
            yield(-1);
        remove_pages((void *)FLIP);
        yield(rnd(&c) % 2 ? -1 : fz.tids[rnd(&c) % MAX_WORKERS]);
    }
}

/* Starts thread i (a worker, or the flipper) on its slot, mapping the slot if it was taken
 * away. A failure (memory short) is tried again at the supervisor's next turn. */
static void start_thread(int i)
{
    new_pages((void *)(SLOTS + (unsigned int)i * SLOT_SPAN), (int)SLOT_SIZE);
    fz.tids[i] = thread_spawn((void *)stack_top(i), i == FLIPPER ? flipper : worker,
                              (void *)i);
}

/* Wakes the threads in deschedule, and starts again every thread that is gone:
 * make_runnable says "no such thread" once it is (tids are not reused soon). Returns the
 * deaths. */
static int tend_threads(void)
{
    int dead = 0;

    for (int i = 0; i < NSLOTS; i++) {
        if (i < FLIPPER && i >= fz.workers)
            continue;
        if (fz.tids[i] > 0 && make_runnable(fz.tids[i]) != E_SRCH)
            continue;
        dead += fz.tids[i] > 0;
        if (i == FLIPPER || fz.claimed < fz.quota)
            start_thread(i);
    }
    return dead;
}

/* A threaded task: start the threads, tend them until the calls are made or nothing moves,
 * and return the exit status. */
static int threaded_task(void)
{
    int last = -1, dead = 0;
    unsigned int since = get_ticks();

    while (fz.claimed < fz.quota) {
        dead += tend_threads();
        sleep(1);
        if (fz.claimed != last) {
            last = fz.claimed;
            since = get_ticks();
        } else if (get_ticks() - since > STALL_TICKS) {
            break;
        }
    }
    return made() + (dead < DEATHS_MAX ? dead : DEATHS_MAX) * DEATH_UNIT;
}

/* One fuzz task (a forked child of the main task): number n of the run, `calls` calls. */
static void fuzz_task(unsigned int seed, int n, int calls)
{
    struct ctx c = { mix(seed, (unsigned int)n), &arenas[SOLO_ARENA], SOLO, -1 };

    fz.seed = rnd(&c);
    fz.quota = calls;
    fz.workers = 1 + (int)(rnd(&c) % MAX_WORKERS);
    __asm__ volatile("mov %%cs, %0; mov %%ss, %1" : "=r"(fz.user_cs), "=r"(fz.user_ss));
    if (n % SOLO_EVERY == SOLO_EVERY - 1) {
        fuzz_calls(&c, calls);
        exit(calls);
    }
    exit(threaded_task());
}

/*==== The main task ====*/

static struct {
    unsigned int calls, killed, deaths, tasks;
    int tids[TASKS_AT_ONCE], shares[TASKS_AT_ONCE];
} run;

/* Counts what a fuzz task reported (see the top of the file): adds its calls to the run's
 * and returns them; *share is the task's share. */
static int account(int tid, int status, int *share)
{
    int calls;

    *share = 0;
    for (int i = 0; i < TASKS_AT_ONCE; i++)
        if (run.tids[i] == tid) {
            *share = run.shares[i];
            run.tids[i] = 0;
        }
    if (status >= 0 && status % DEATH_UNIT <= *share) {
        calls = status % DEATH_UNIT;
        run.deaths += (unsigned int)(status / DEATH_UNIT);
    } else if (status <= VANISHED && status >= VANISHED - *share) {
        calls = VANISHED - status;
        run.killed++;
    } else {
        calls = *share;                     /* ended some other way: count its share */
        run.killed++;
    }
    run.calls += (unsigned int)calls;
    return calls;
}

/* Forks fuzz task number n with `calls` calls; notes its tid. Returns the fork's result. */
static int start_task(unsigned int seed, int n, int calls)
{
    int tid;

    misbehave(n % 8);                   /* every mode in turn, changed under running tasks */
    tid = fork();
    if (tid == 0)
        fuzz_task(seed, n, calls);
    for (int i = 0; tid > 0 && i < TASKS_AT_ONCE; i++)
        if (run.tids[i] == 0) {
            run.tids[i] = tid;
            run.shares[i] = calls;
            break;
        }
    return tid;
}

/* Runs `total` calls, TASKS_AT_ONCE tasks at a time; the calls a task did not make (it was
 * killed, or stalled) go to later tasks. Returns 0, or a message if fork kept failing with
 * nothing left running or tasks kept making no call (memory lost for good?). */
static const char *run_all(unsigned int seed, unsigned int total)
{
    unsigned int pending = 0;           /* the shares of the running tasks */
    int running = 0, failures = 0, idle = 0, status, share, tid;

    while (run.calls + pending < total || running > 0) {
        if (run.calls + pending < total && running < TASKS_AT_ONCE) {
            unsigned int left = total - run.calls - pending;
            int calls = left < CALLS_PER_TASK ? (int)left : CALLS_PER_TASK;
            if (start_task(seed, (int)run.tasks, calls) > 0) {
                run.tasks++;
                pending += (unsigned int)calls;
                running++;
                failures = 0;
                continue;
            }
            if (running == 0) {
                if (++failures > FORK_RETRIES)
                    return "fork kept failing with no task running";
                sleep(10);
                continue;
            }
        }
        if ((tid = wait(&status)) < 0)
            return "wait failed";
        running--;
        idle = account(tid, status, &share) ? 0 : idle + 1;
        pending -= (unsigned int)share;
        if (idle > IDLE_MAX)
            return "tasks kept making no call";
    }
    return NULL;
}

/* Marks the calls named by the -CALL arguments as left out; 0, or -1 for a name we do not
 * know. */
static int leave_out(int argc, char **argv)
{
    for (int i = 3; i < argc; i++) {
        unsigned int k = 0;
        while (k < sizeof calls / sizeof calls[0] && strcmp(argv[i] + 1, calls[k].name))
            k++;
        if (argv[i][0] != '-' || k == sizeof calls / sizeof calls[0]) {
            printf("fuzz: no call %s (usage: fuzz [N] [SEED] [-CALL...])\n", argv[i]);
            return -1;
        }
        left_out[calls[k].vector] = 1;
        printf("fuzz: leaving out %s\n", calls[k].name);
    }
    return 0;
}

int main(int argc, char **argv)
{
    unsigned int total = argc > 1 ? strtoul(argv[1], NULL, 0) : DEFAULT_CALLS;
    unsigned int seed = argc > 2 ? strtoul(argv[2], NULL, 0) : mix(get_ticks(), gettid());
    const char *failed;

    memset(long_name, 'x', sizeof long_name - 1);
    printf("fuzz: seed %u\n", seed);
    if (leave_out(argc, argv) < 0)
        return 2;
    failed = run_all(seed, total);
    misbehave(0);
    set_term_color(FGND_LGRAY);
    set_cursor_pos(24, 0);
    printf("\nfuzz: %u tasks, %u workers started again, every misbehave mode in turn\n",
           run.tasks, run.deaths);
    if (failed) {
        printf("fuzz: FAILED: %s\n", failed);
        return 1;
    }
    printf("fuzz: %u calls, %u tasks killed, kernel alive\n", run.calls, run.killed);
    return 0;
}
