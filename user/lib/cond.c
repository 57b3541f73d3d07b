/*
 * cond.c - condition variables.
 *
 * cond_wait queues the caller under the guard *before* it lets go of the mutex. A signal
 * that comes after the mutex is released therefore finds the waiter in the queue: the
 * release and the sleep are one step as far as cond_signal can tell. The waiter then sleeps
 * until the signaller sets its woken word (thr_wait.c), and takes the mutex again.
 */
#include <cond.h>
#include <mutex.h>
#include <thr_internals.h>
#include <assert.h>
#include <stddef.h>

int cond_init(cond_t *cv)
{
    if (cv == NULL)
        return -1;
    cv->guard = 0;
    cv->valid = THR_VALID;
    cv->queue.head = cv->queue.tail = NULL;
    return 0;
}

/* Takes cv's guard, checking that cv is a live condition variable. */
static void cond_enter(cond_t *cv, const char *who)
{
    thr_guard_enter(&cv->guard, &cv->valid, who, cv);
}

void cond_destroy(cond_t *cv)
{
    cond_enter(cv, "cond_destroy");
    if (cv->queue.head)
        panic("cond_destroy: condition variable %p has waiting threads", (void *)cv);
    cv->valid = 0;
    thr_guard_unlock(&cv->guard);
}

void cond_wait(cond_t *cv, mutex_t *mp)
{
    struct thr_waiter w;

    thr_waiter_init(&w, 0);
    cond_enter(cv, "cond_wait");
    thr_queue_push(&cv->queue, &w);
    thr_guard_unlock(&cv->guard);
    mutex_unlock(mp);
    thr_sleep(&w);
    mutex_lock(mp);
}

void cond_signal(cond_t *cv)
{
    struct thr_waiter *w;

    cond_enter(cv, "cond_signal");
    w = thr_queue_pop(&cv->queue);
    thr_guard_unlock(&cv->guard);
    if (w)
        thr_wake(w);
}

void cond_broadcast(cond_t *cv)
{
    struct thr_waiter *all;

    cond_enter(cv, "cond_broadcast");
    all = thr_queue_take_all(&cv->queue);
    thr_guard_unlock(&cv->guard);
    thr_wake_list(all);
}
