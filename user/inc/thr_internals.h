/*
 * thr_internals.h - the thread library's own declarations, shared by user/lib/thread.c,
 * thr_wait.c, mutex.c, cond.c, sem.c and rwlock.c. Programs need none of it.
 *
 * Where threads live. thr_init cuts the address space below the first thread's stack (and
 * its room to grow) into equal slots, one per thread, the highest first:
 *
 *     (top of memory) ----------------------------
 *                    | the first thread's stack |  and all the room it may grow into
 *     _thr_area_top  ----------------------------  slot 0 begins here
 *                    | struct thr (this thread) |  top of the slot
 *                    | exception stack          |  THR_XSTACK bytes, for the crash handler
 *                    | stack (grows down)       |  thr_init's size, in whole pages
 *                    | guard (unmapped)         |  a page or more: an overflow faults here
 *                    ----------------------------  slot 1 begins here, and so on down to
 *     _thr_area_bottom                             (far above the heap)
 *
 * Slots are all the same size, a power of two, and aligned to it, so a thread finds its own
 * control block from %esp alone, with no system call: that is what makes an uncontended
 * mutex free of them. A stack pointer above the slots is the first
 * thread's (_thr_main: the kernel puts the first stack at the top of memory); one below them
 * (a thread started by thread_spawn on a stack of its own, or a swexn handler on a static
 * stack) is _thr_foreign, a shared identity that the misuse checks cannot tell apart.
 * autostack.c sets the first thread's part up at start.
 */
#ifndef _THR_INTERNALS_H
#define _THR_INTERNALS_H

#include <stdint.h>
#include <thr_queue.h>
#include <ureg.h>

#define THR_VALID       0x7A11D    /* cond/sem/rwlock .valid between init and destroy */
#define THR_XSTACK      4096       /* bytes of crash-handler stack in every slot */

/* A thread's control block. */
struct thr {
    int tid;                    /* the kernel's id of this thread */
    int exited;                 /* thr_exit has run: status is valid */
    void *status;               /* what thr_exit was given */
    struct thr_waiter *joiner;  /* the thread sleeping in thr_join for us, or NULL */
    struct thr *next;           /* in a tid-table chain, or in the list of spare slots */
    unsigned int slot;          /* where we live in the thread area */
    void *(*func)(void *);      /* what the thread runs, and its argument */
    void *arg;
};

/* One thread asleep in a queue. It lives on the sleeper's stack for the length of the wait. */
struct thr_waiter {
    struct thr_waiter *next;
    int tid;                    /* whom make_runnable wakes */
    volatile int woken;         /* set by the waker; deschedule's reject word */
    int kind;                   /* for rwlocks: RWLOCK_READ or RWLOCK_WRITE */
    struct thr *thr;            /* the sleeper, for locks that record their holder */
};

extern uintptr_t _thr_area_top;
extern uintptr_t _thr_area_bottom;  /* = _thr_area_top until thr_init: no slots */
extern uintptr_t _thr_slot_size;    /* a power of two */
extern struct thr _thr_main;
extern struct thr _thr_foreign;

/*
 * The caller's control block, worked out from its stack pointer. Slots are a power of two in
 * size and aligned to it, so a slot thread's block ends where its slot does: the next
 * multiple of the slot size above %esp. The first thread, the common case, takes the first
 * two tests.
 */
static inline struct thr *thr_self(void)
{
    uintptr_t sp;

    __asm__("movl %%esp, %0" : "=r"(sp));
    if (sp >= _thr_area_top)
        return &_thr_main;
    if (sp < _thr_area_bottom)
        return &_thr_foreign;
    return (struct thr *)((sp | (_thr_slot_size - 1)) + 1) - 1;
}

/* *p = v, returning the old *p, as one indivisible step. */
static inline int thr_xchg(volatile int *p, int v)
{
    __asm__ volatile("xchgl %0, %1" : "+r"(v), "+m"(*p) : : "memory");
    return v;
}

/* If *p == old then *p = new, as one step; returns what *p was. */
static inline int thr_cas(volatile int *p, int old, int new)
{
    int was;

    __asm__ volatile("lock cmpxchgl %2, %1" : "=a"(was), "+m"(*p) : "r"(new), "0"(old)
                     : "memory");
    return was;
}

/* A guard word protects a lock's own fields for a few instructions (thr_wait.c). */
void thr_guard_lock(volatile int *guard);
void thr_guard_enter(volatile int *guard, const int *valid, const char *who, const void *lock);
static inline void thr_guard_unlock(volatile int *guard)
{
    __asm__ volatile("" : : : "memory");    /* x86 stores are not reordered with older ones */
    *guard = 0;
}

/* Waiting: fill in a waiter, queue it under the guard, let go of the guard, then sleep. */
void thr_waiter_init(struct thr_waiter *w, int kind);
void thr_queue_push(struct thr_queue *q, struct thr_waiter *w);
struct thr_waiter *thr_queue_pop(struct thr_queue *q);
struct thr_waiter *thr_queue_take_all(struct thr_queue *q);
void thr_sleep(struct thr_waiter *w);
void thr_wake(struct thr_waiter *w);
void thr_wake_list(struct thr_waiter *w);

/* Called by the first thread's stack-growth handler for a fault that is not growth
 * (autostack.c); thr_init points it at the library's crash report. */
extern void (*_autostack_fault_hook)(ureg_t *ureg);

#endif /* _THR_INTERNALS_H */
