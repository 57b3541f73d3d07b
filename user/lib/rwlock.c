/*
 * rwlock.c - readers-writer locks, first come first served.
 *
 * A request is granted at once only if nobody is queued and it fits (a reader: no writer
 * holds the lock; a writer: nobody holds it). Otherwise it queues. Whenever the lock becomes
 * freer (an unlock, a downgrade), rwlock_grant lets in from the head of the queue: one
 * writer, or every reader up to the next queued writer. A reader that arrives while a writer
 * waits therefore queues behind the writer, which is why a stream of readers cannot starve
 * writers; and the readers queued behind that writer get in together when it is done.
 *
 * Granting is done for the sleeper, under the guard: the counts are updated on its behalf
 * and it wakes up already holding the lock.
 */
#include <rwlock.h>
#include <thr_internals.h>
#include <assert.h>
#include <syscall.h>
#include <stddef.h>

int rwlock_init(rwlock_t *rwlock)
{
    if (rwlock == NULL)
        return -1;
    rwlock->guard = 0;
    rwlock->valid = THR_VALID;
    rwlock->readers = 0;
    rwlock->writer = NULL;
    rwlock->queue.head = rwlock->queue.tail = NULL;
    return 0;
}

/* Takes the guard, checking that rwlock is a live lock. */
static void rwlock_enter(rwlock_t *rwlock, const char *who)
{
    thr_guard_enter(&rwlock->guard, &rwlock->valid, who, rwlock);
}

void rwlock_destroy(rwlock_t *rwlock)
{
    rwlock_enter(rwlock, "rwlock_destroy");
    if (rwlock->queue.head)
        panic("rwlock_destroy: rwlock %p has waiting threads", (void *)rwlock);
    if (rwlock->readers || rwlock->writer)
        panic("rwlock_destroy: rwlock %p is held", (void *)rwlock);
    rwlock->valid = 0;
    thr_guard_unlock(&rwlock->guard);
}

/* Whether a request of this kind can be granted now, queue aside. */
static int rwlock_fits(const rwlock_t *rwlock, int kind)
{
    if (kind == RWLOCK_READ)
        return rwlock->writer == NULL;
    return rwlock->writer == NULL && rwlock->readers == 0;
}

/* Gives the lock to the waiter (under the guard). */
static void rwlock_give(rwlock_t *rwlock, const struct thr_waiter *w)
{
    if (w->kind == RWLOCK_READ)
        rwlock->readers++;
    else
        rwlock->writer = w->thr;
}

/*
 * Grants queued requests from the head while they fit (under the guard). Returns them as a
 * list for thr_wake_list, to be woken after the guard is let go.
 */
static struct thr_waiter *rwlock_grant(rwlock_t *rwlock)
{
    struct thr_waiter *granted = NULL, **end = &granted, *w;

    while (rwlock->queue.head && rwlock_fits(rwlock, rwlock->queue.head->kind)) {
        w = thr_queue_pop(&rwlock->queue);
        rwlock_give(rwlock, w);
        *end = w;
        end = &w->next;
        *end = NULL;
    }
    return granted;
}

void rwlock_lock(rwlock_t *rwlock, int type)
{
    struct thr_waiter w;

    if (type != RWLOCK_READ && type != RWLOCK_WRITE)
        panic("rwlock_lock: type %d is neither RWLOCK_READ nor RWLOCK_WRITE", type);
    thr_waiter_init(&w, type);          /* a system call: not under the guard */
    rwlock_enter(rwlock, "rwlock_lock");
    if (rwlock->writer == w.thr && w.thr != &_thr_foreign)
        panic("rwlock_lock: thread %d already holds rwlock %p to write", w.tid,
              (void *)rwlock);
    if (rwlock->queue.head == NULL && rwlock_fits(rwlock, type)) {
        rwlock_give(rwlock, &w);
        thr_guard_unlock(&rwlock->guard);
        return;
    }
    thr_queue_push(&rwlock->queue, &w);
    thr_guard_unlock(&rwlock->guard);
    thr_sleep(&w);                      /* woken holding the lock */
}

void rwlock_unlock(rwlock_t *rwlock)
{
    struct thr_waiter *granted;

    rwlock_enter(rwlock, "rwlock_unlock");
    if (rwlock->writer) {
        if (rwlock->writer != thr_self())
            panic("rwlock_unlock: thread %d unlocks rwlock %p, write-locked by another",
                  gettid(), (void *)rwlock);
        rwlock->writer = NULL;
    } else if (rwlock->readers > 0) {
        rwlock->readers--;
    } else {
        panic("rwlock_unlock: rwlock %p is not locked", (void *)rwlock);
    }
    granted = rwlock_grant(rwlock);
    thr_guard_unlock(&rwlock->guard);
    thr_wake_list(granted);
}

void rwlock_downgrade(rwlock_t *rwlock)
{
    struct thr_waiter *granted;

    rwlock_enter(rwlock, "rwlock_downgrade");
    if (rwlock->writer == NULL || rwlock->writer != thr_self())
        panic("rwlock_downgrade: thread %d does not hold rwlock %p to write", gettid(),
              (void *)rwlock);
    rwlock->writer = NULL;
    rwlock->readers = 1;                /* ourselves: no writer can come in between */
    granted = rwlock_grant(rwlock);     /* the readers queued first join us */
    thr_guard_unlock(&rwlock->guard);
    thr_wake_list(granted);
}
