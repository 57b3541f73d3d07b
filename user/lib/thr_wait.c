/*
 * thr_wait.c - how the thread library's locks wait: guard words and queues of sleepers.
 *
 * Every lock type (mutex, cond, sem, rwlock) keeps its fields under a guard word, held only
 * for the few instructions that read and change them, and a FIFO queue of sleeping threads.
 * A thread that must wait fills in a struct thr_waiter on its own stack, queues it under the
 * guard, lets the guard go, and sleeps in deschedule(&w->woken). Whoever decides that it may
 * go on (an unlock, a signal) takes it off the queue under the guard and then, outside the
 * guard, sets w->woken and calls make_runnable(w->tid).
 *
 * No wake-up is lost: the kernel's deschedule looks at woken and blocks as one step with
 * respect to make_runnable, so either the sleeper sees woken = 1 and does not block, or it
 * is blocked when make_runnable comes. A thread can also be woken by a make_runnable meant
 * for an earlier wait of its own (the waker sets woken, the sleeper leaves, then the waker's
 * make_runnable lands on its next sleep), so thr_sleep goes back to sleep until its own
 * woken is set.
 */
#include <thr_internals.h>
#include <syscall.h>
#include <stddef.h>
#include <assert.h>

/*
 * Takes a guard. Guards are held for a handful of instructions, so a few tries are normally
 * enough; if the holder was preempted inside, we give the CPU away rather than spin through
 * our time slice.
 */
void thr_guard_lock(volatile int *guard)
{
    int tries = 0;

    while (thr_xchg(guard, 1) != 0) {
        if (++tries >= 4)
            yield(-1);
    }
}

/* Takes the guard of a cond, sem or rwlock, checking the lock is live (valid == THR_VALID):
 * one destroyed or never initialised panics, naming the call that met it. */
void thr_guard_enter(volatile int *guard, const int *valid, const char *who, const void *lock)
{
    thr_guard_lock(guard);
    if (*valid != THR_VALID)
        panic("%s: %p was never initialised, or was destroyed", who, lock);
}

void thr_waiter_init(struct thr_waiter *w, int kind)
{
    w->next = NULL;
    w->tid = gettid();
    w->woken = 0;
    w->kind = kind;
    w->thr = thr_self();
}

void thr_queue_push(struct thr_queue *q, struct thr_waiter *w)
{
    w->next = NULL;
    if (q->tail)
        q->tail->next = w;
    else
        q->head = w;
    q->tail = w;
}

/* The longest waiter, off the queue; NULL if none. */
struct thr_waiter *thr_queue_pop(struct thr_queue *q)
{
    struct thr_waiter *w = q->head;

    if (w) {
        q->head = w->next;
        if (!q->head)
            q->tail = NULL;
    }
    return w;
}

/* Every waiter, as a list linked by next, leaving the queue empty. */
struct thr_waiter *thr_queue_take_all(struct thr_queue *q)
{
    struct thr_waiter *all = q->head;

    q->head = q->tail = NULL;
    return all;
}

/* Sleeps until thr_wake(w). w is queued and no guard is held. */
void thr_sleep(struct thr_waiter *w)
{
    while (!w->woken)
        deschedule((int *)&w->woken);
}

/*
 * Lets w's thread go on. w lives on that thread's stack and may vanish as soon as woken is
 * set, so its tid is read first.
 */
void thr_wake(struct thr_waiter *w)
{
    int tid = w->tid;

    __asm__ volatile("" : : : "memory");    /* tid is read before the store below */
    w->woken = 1;
    make_runnable(tid);
}

/* thr_wake for each waiter of a list from thr_queue_take_all (next is read before each wake). */
void thr_wake_list(struct thr_waiter *w)
{
    while (w) {
        struct thr_waiter *next = w->next;
        thr_wake(w);
        w = next;
    }
}
