/*
 * thr_queue.h - the queue of sleeping threads inside every lock type (user/lib/thr_wait.c).
 * A program never touches it; it is here because mutex_t and the others embed one.
 */
#ifndef _THR_QUEUE_H
#define _THR_QUEUE_H

struct thr;                     /* a thread's control block (thr_internals.h) */
struct thr_waiter;              /* one sleeping thread, on its own stack */

/* First come, first served: waiters join at tail and are woken from head. */
struct thr_queue {
    struct thr_waiter *head;
    struct thr_waiter *tail;
};

#endif /* _THR_QUEUE_H */
