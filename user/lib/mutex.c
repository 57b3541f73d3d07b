/*
 * mutex.c - mutexes: no system call when uncontended, FIFO hand-off when not.
 *
 * state says everything the fast paths need:
 *
 *   MUTEX_FREE       nobody holds it          lock: compare-and-swap FREE -> LOCKED, done
 *   MUTEX_LOCKED     held, nobody queued      unlock: compare-and-swap LOCKED -> FREE, done
 *   MUTEX_CONTENDED  held, waiters may be queued: lock and unlock take the slow path
 *   MUTEX_DESTROYED  after mutex_destroy      (any other value: never initialised)
 *
 * A thread that cannot take the lock sets CONTENDED under the guard and queues itself, so
 * the holder's unlock fails its fast compare-and-swap and comes to the queue. That unlock
 * hands the mutex straight to the longest waiter: state stays CONTENDED and the waiter wakes
 * up owning it. A newcomer meanwhile sees CONTENDED and queues behind, so nobody overtakes a
 * sleeper and nobody starves. When an unlock finds the queue empty, state becomes FREE.
 *
 * owner is the holder's control block (thr_self: from the stack pointer, no system call);
 * it is only for catching misuse.
 */
#include <mutex.h>
#include <thr_internals.h>
#include <assert.h>
#include <syscall.h>
#include <stddef.h>

#define MUTEX_FREE      0       /* zero, so a zeroed static mutex_t is ready to use */
#define MUTEX_LOCKED    1
#define MUTEX_CONTENDED 2
#define MUTEX_DESTROYED 3

int mutex_init(mutex_t *mp)
{
    if (mp == NULL)
        return -1;
    mp->state = MUTEX_FREE;
    mp->guard = 0;
    mp->owner = NULL;
    mp->queue.head = mp->queue.tail = NULL;
    return 0;
}

void mutex_destroy(mutex_t *mp)
{
    thr_guard_lock(&mp->guard);
    if (mp->queue.head)
        panic("mutex_destroy: mutex %p has waiting threads", (void *)mp);
    if (mp->state != MUTEX_FREE)
        panic("mutex_destroy: mutex %p is %s", (void *)mp,
              mp->state == MUTEX_DESTROYED ? "already destroyed" : "locked");
    mp->state = MUTEX_DESTROYED;
    thr_guard_unlock(&mp->guard);
}

/* The slow half of mutex_lock: returns holding the lock, after sleeping if need be. Kept
 * out of line so that the fast path needs no stack frame. */
static void __attribute__((noinline)) mutex_wait(mutex_t *mp)
{
    struct thr_waiter w;
    int was;

    thr_waiter_init(&w, 0);             /* a system call: not under the guard */
    thr_guard_lock(&mp->guard);
    if (mp->state != MUTEX_LOCKED && mp->state != MUTEX_CONTENDED && mp->state != MUTEX_FREE)
        panic("mutex_lock: mutex %p is %s", (void *)mp,
              mp->state == MUTEX_DESTROYED ? "destroyed" : "not initialised");
    if (mp->owner == w.thr && w.thr != &_thr_foreign && mp->state != MUTEX_FREE)
        panic("mutex_lock: thread %d already holds mutex %p", w.tid, (void *)mp);
    was = thr_xchg(&mp->state, MUTEX_CONTENDED);
    if (was == MUTEX_FREE) {            /* freed since our try: ours, with nobody queued */
        thr_guard_unlock(&mp->guard);
        mp->owner = w.thr;
        return;
    }
    thr_queue_push(&mp->queue, &w);
    thr_guard_unlock(&mp->guard);
    thr_sleep(&w);                      /* woken by the unlock that hands it to us */
    mp->owner = w.thr;
}

/*
 * The fast paths are the library's hottest code, so they are built without a frame pointer
 * (it would cost a third of their instructions); a debugger's backtrace skips them.
 */
#define FAST_PATH __attribute__((optimize("omit-frame-pointer")))

void FAST_PATH mutex_lock(mutex_t *mp)
{
    if (thr_cas(&mp->state, MUTEX_FREE, MUTEX_LOCKED) == MUTEX_FREE)
        mp->owner = thr_self();
    else
        mutex_wait(mp);                 /* a tail call: the fast path saves no register */
}

/* The slow half of mutex_unlock: hand the lock to the longest waiter, or free it. */
static void __attribute__((noinline)) mutex_hand_off(mutex_t *mp)
{
    struct thr_waiter *w;

    thr_guard_lock(&mp->guard);
    w = thr_queue_pop(&mp->queue);
    if (w == NULL)
        mp->state = MUTEX_FREE;
    thr_guard_unlock(&mp->guard);
    if (w)
        thr_wake(w);
}

static void __attribute__((noinline, noreturn)) mutex_not_held(mutex_t *mp)
{
    panic("mutex_unlock: thread %d does not hold mutex %p", gettid(), (void *)mp);
}

void FAST_PATH mutex_unlock(mutex_t *mp)
{
    if (mp->owner != thr_self())        /* NULL when free or destroyed */
        mutex_not_held(mp);
    mp->owner = NULL;
    if (thr_cas(&mp->state, MUTEX_LOCKED, MUTEX_FREE) != MUTEX_LOCKED)
        mutex_hand_off(mp);             /* a tail call, as in mutex_lock */
}
