/*
 * thread.c - threads: thr_init, thr_create, thr_exit, thr_join, thr_getid, thr_yield.
 *
 * Every thread made here lives in a slot of the thread area (the picture is in
 * thr_internals.h): an unmapped guard, its stack, a page of exception stack, and its control
 * block (struct thr) at the very top, where thr_self() finds it from %esp. The
 * first thread keeps the stack the kernel gave it, and its control block is _thr_main.
 *
 * The life of a thread:
 *   thr_create  takes a slot (a spare one still mapped, or maps one with new_pages), starts
 *               the thread on it with thread_spawn (thread_fork underneath), and enters it in
 *               the tid table so that thr_join can find it.
 *   thr_start   (in the new thread) registers the crash handler with swexn and runs func.
 *   thr_exit    records the status, wakes the joiner if one is waiting, and vanishes.
 *   thr_join    sleeps until the thread has exited, takes its status out of the table, waits
 *               until the kernel says the thread is gone (it still runs a few instructions
 *               on its stack after waking us), and only then gives the slot back.
 * Slots given back are kept mapped, up to SPARE_SLOTS of them, so that a program that keeps
 * making short threads does not map and unmap a stack for each; beyond that they are
 * unmapped and their places remembered for reuse.
 *
 * thr_lock protects the tid table and the slot lists. It is never held across a sleep.
 */
#include <thread.h>
#include <thread_spawn.h>
#include <mutex.h>
#include <malloc.h>
#include <stdio.h>
#include <syscall.h>
#include <stddef.h>

#define THR_AREA_FLOOR  0x80000000u     /* slots stay above this; the heap is below */
#define THR_STACK_MAX   (64u << 20)     /* largest thr_init size taken */
#define SPARE_SLOTS     8               /* given-back slots kept mapped for reuse */
#define TID_BUCKETS     64              /* the tid table's hash chains */

/* Errors, with the kernel's numbers (strerror knows them). */
#define THR_E_INVAL     (-2)            /* bad argument: joining oneself, a huge size */
#define THR_E_SRCH      (-8)            /* no such thread (or it was joined already) */
#define THR_E_STATE     (-9)            /* not initialised, or another thread is joining */
#define THR_E_NOMEM     (-5)            /* no memory or no room for another stack */

static mutex_t thr_lock;
static int thr_ready;                   /* thr_init has run */
static struct thr *tid_table[TID_BUCKETS];

static uintptr_t slot_mapped;           /* bytes mapped at the top of a slot */
static unsigned int slot_count;         /* slots ever used: 0 .. slot_count - 1 */
static unsigned int slot_max;           /* how many fit in the area */
static struct thr *spare_slots;         /* given back, still mapped (linked by next) */
static int spare_count;
static unsigned int *free_slots;        /* given back and unmapped: their numbers */
static unsigned int free_count;

static void thr_crash(void *arg, ureg_t *ureg);
static void thr_main_crash(ureg_t *ureg);

/*==== Slots ====*/

static uintptr_t slot_top(unsigned int slot)
{
    return _thr_area_top - slot * _thr_slot_size;
}

static struct thr *slot_thr(unsigned int slot)
{
    return (struct thr *)slot_top(slot) - 1;
}

/* Where the thread's stack starts: just below its exception stack. */
static void *slot_stack_top(const struct thr *t)
{
    return (void *)(slot_top(t->slot) - THR_XSTACK);
}

/* The first mapped byte of the slot, just above its guard. */
static void *slot_mapped_base(unsigned int slot)
{
    return (void *)(slot_top(slot) - slot_mapped);
}

/* A slot number not in use: a forgotten one, or a new one. Negative if none is left. */
static int slot_number(void)
{
    unsigned int *grown;

    if (free_count > 0)
        return (int)free_slots[--free_count];
    if (slot_count == slot_max)
        return THR_E_NOMEM;
    /* Room to remember every slot ever used, so that slot_put never needs memory. */
    grown = realloc(free_slots, (slot_count + 1) * sizeof *free_slots);
    if (grown == NULL)
        return THR_E_NOMEM;
    free_slots = grown;
    return (int)slot_count++;
}

/* A mapped slot for a new thread, or NULL with *err set. */
static struct thr *slot_take(int *err)
{
    struct thr *t;
    int slot;

    if (spare_slots) {
        t = spare_slots;
        spare_slots = t->next;
        spare_count--;
        return t;
    }
    if ((slot = slot_number()) < 0) {
        *err = slot;
        return NULL;
    }
    *err = new_pages(slot_mapped_base((unsigned int)slot), (int)slot_mapped);
    if (*err < 0) {
        free_slots[free_count++] = (unsigned int)slot;
        return NULL;
    }
    t = slot_thr((unsigned int)slot);
    t->slot = (unsigned int)slot;
    return t;
}

/* Gives back the slot of a thread that can no longer run. */
static void slot_put(struct thr *t)
{
    unsigned int slot = t->slot;

    if (spare_count < SPARE_SLOTS) {
        t->next = spare_slots;
        spare_slots = t;
        spare_count++;
        return;
    }
    remove_pages(slot_mapped_base(slot));
    free_slots[free_count++] = slot;
}

/*==== The tid table ====*/

static struct thr **tid_chain(int tid)
{
    return &tid_table[(unsigned int)tid % TID_BUCKETS];
}

static void tid_add(struct thr *t)
{
    struct thr **chain = tid_chain(t->tid);

    t->next = *chain;
    *chain = t;
}

static struct thr *tid_find(int tid)
{
    struct thr *t = *tid_chain(tid);

    while (t && t->tid != tid)
        t = t->next;
    return t;
}

static void tid_remove(struct thr *t)
{
    struct thr **p = tid_chain(t->tid);

    while (*p != t)
        p = &(*p)->next;
    *p = t->next;
}

/*==== Threads ====*/

int thr_init(unsigned int size)
{
    unsigned int pages = size == 0 ? 1 : (size + PAGE_SIZE - 1) / PAGE_SIZE;
    uintptr_t top, slot_size = PAGE_SIZE;

    if (thr_ready || _thr_area_top == 0)
        return THR_E_STATE;             /* twice, or the first stack is unknown */
    if (size > THR_STACK_MAX)
        return THR_E_INVAL;
    slot_mapped = pages * PAGE_SIZE + THR_XSTACK;
    while (slot_size < slot_mapped + PAGE_SIZE)     /* a page of guard at least */
        slot_size *= 2;
    top = _thr_area_top & ~(slot_size - 1);
    slot_max = top > THR_AREA_FLOOR ? (top - THR_AREA_FLOOR) / slot_size : 0;
    _thr_slot_size = slot_size;
    _thr_area_top = top;
    _thr_area_bottom = top - slot_max * slot_size;  /* the slots exist from here on */

    _thr_main.tid = gettid();
    tid_add(&_thr_main);
    _autostack_fault_hook = thr_main_crash;
    thr_ready = 1;
    return 0;
}

/* The new thread's first function, on its own stack (thread_spawn calls it). */
static void thr_start(void *arg)
{
    struct thr *t = arg;

    /* The exception stack ends just below the control block. If swexn refuses, a fault
     * ends just this thread (the kernel's report) instead of the task. */
    swexn(t, thr_crash, t, NULL);
    thr_exit(t->func(t->arg));
}

int thr_create(void *(*func)(void *), void *arg)
{
    struct thr *t;
    int tid;

    if (!thr_ready)
        return THR_E_STATE;
    mutex_lock(&thr_lock);
    if ((t = slot_take(&tid)) == NULL) {
        mutex_unlock(&thr_lock);
        return tid;
    }
    t->exited = 0;
    t->status = NULL;
    t->joiner = NULL;
    t->func = func;
    t->arg = arg;
    tid = thread_spawn(slot_stack_top(t), thr_start, t);
    if (tid < 0) {
        slot_put(t);
    } else {
        t->tid = tid;                   /* before thr_join can look: we hold thr_lock */
        tid_add(t);
    }
    mutex_unlock(&thr_lock);
    return tid;
}

void thr_exit(void *status)
{
    struct thr *me = thr_self();
    struct thr_waiter *joiner;

    if (thr_ready && me != &_thr_foreign) {
        mutex_lock(&thr_lock);
        me->status = status;
        me->exited = 1;
        joiner = me->joiner;
        mutex_unlock(&thr_lock);
        if (joiner)
            thr_wake(joiner);
    }
    /* From here on this thread touches its stack only inside vanish's stub; thr_join
     * waits until the kernel has ended it before the slot is used again. */
    vanish();
    for (;;)                            /* vanish does not return */
        continue;
}

int thr_join(int tid, void **statusp)
{
    struct thr_waiter w;
    struct thr *t;
    void *status;

    if (!thr_ready)
        return THR_E_STATE;
    thr_waiter_init(&w, 0);
    if (tid == w.tid)
        return THR_E_INVAL;
    mutex_lock(&thr_lock);
    t = tid_find(tid);
    if (t == NULL || t->joiner != NULL) {
        mutex_unlock(&thr_lock);
        return t == NULL ? THR_E_SRCH : THR_E_STATE;
    }
    t->joiner = &w;                     /* from now on, other joiners are refused */
    if (!t->exited) {
        mutex_unlock(&thr_lock);
        thr_sleep(&w);                  /* thr_exit wakes us */
        mutex_lock(&thr_lock);
    }
    status = t->status;
    tid_remove(t);
    mutex_unlock(&thr_lock);

    if (t != &_thr_main) {
        thread_gone(tid);               /* it can no longer touch its stack */
        mutex_lock(&thr_lock);
        slot_put(t);
        mutex_unlock(&thr_lock);
    }
    if (statusp)
        *statusp = status;
    return 0;
}

int thr_getid(void)
{
    return gettid();
}

int thr_yield(int tid)
{
    return yield(tid);
}

/*==== Crashes ====*/

static const char *fault_name(unsigned int cause)
{
    switch (cause) {
    case SWEXN_CAUSE_DIVIDE:     return "divide error";
    case SWEXN_CAUSE_DEBUG:      return "debug trap";
    case SWEXN_CAUSE_BREAKPOINT: return "breakpoint";
    case SWEXN_CAUSE_OVERFLOW:   return "overflow";
    case SWEXN_CAUSE_BOUNDCHECK: return "bound range";
    case SWEXN_CAUSE_OPCODE:     return "invalid opcode";
    case SWEXN_CAUSE_NOFPU:      return "no FPU";
    case SWEXN_CAUSE_SEGFAULT:   return "segment not present";
    case SWEXN_CAUSE_STACKFAULT: return "stack fault";
    case SWEXN_CAUSE_PROTFAULT:  return "protection fault";
    case SWEXN_CAUSE_PAGEFAULT:  return "page fault";
    case SWEXN_CAUSE_FPUFAULT:   return "x87 error";
    case SWEXN_CAUSE_ALIGNFAULT: return "alignment check";
    case SWEXN_CAUSE_SIMDFAULT:  return "SIMD error";
    default:                     return "exception";
    }
}

/* Whether a page fault at addr hit the guard of slot thread t. */
static int hit_guard_page(const struct thr *t, uintptr_t addr)
{
    uintptr_t guard = slot_top(t->slot) - _thr_slot_size;

    return t != &_thr_main && addr - guard < _thr_slot_size - slot_mapped;
}

/* One line about the fault, then the end of every thread: nobody waits for a dead one. */
static void thr_report_and_die(const struct thr *t, const ureg_t *ureg)
{
    char line[160];
    int n;
    int overflow = ureg->cause == SWEXN_CAUSE_PAGEFAULT && hit_guard_page(t, ureg->cr2);

    n = snprintf(line, sizeof line,
                 "thread %d: %s at eip 0x%08x, cr2 0x%08x%s; ending the task (status -2)\n",
                 gettid(), fault_name(ureg->cause), ureg->eip, ureg->cr2,
                 overflow ? " (stack overflow)" : "");
    print(n < (int)sizeof line ? n : (int)sizeof line - 1, line);
    task_vanish(-2);
}

/* A thread's swexn handler, on its slot's exception stack. */
static void thr_crash(void *arg, ureg_t *ureg)
{
    thr_report_and_die(arg, ureg);
}

/* The first thread's: autostack calls it for any fault that is not stack growth. */
static void thr_main_crash(ureg_t *ureg)
{
    thr_report_and_die(&_thr_main, ureg);
}
