/*
 * rwlock_type.h - what a rwlock_t holds (user/lib/rwlock.c).
 */
#ifndef _RWLOCK_TYPE_H
#define _RWLOCK_TYPE_H

#include <thr_queue.h>

#define RWLOCK_READ  0
#define RWLOCK_WRITE 1

typedef struct rwlock {
    volatile int guard;         /* held for a few instructions while the fields change */
    int valid;                  /* THR_VALID between init and destroy */
    int readers;                /* threads holding it to read */
    struct thr *writer;         /* the thread holding it to write, or NULL */
    struct thr_queue queue;     /* waiting readers and writers, in arrival order */
} rwlock_t;

#endif /* _RWLOCK_TYPE_H */
