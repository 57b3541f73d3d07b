/*
 * mutex_type.h - what a mutex_t holds (user/lib/mutex.c explains how it is used).
 */
#ifndef _MUTEX_TYPE_H
#define _MUTEX_TYPE_H

#include <thr_queue.h>

typedef struct mutex {
    volatile int state;         /* MUTEX_FREE, _LOCKED, _CONTENDED or _DESTROYED (mutex.c) */
    volatile int guard;         /* held for a few instructions while queue changes */
    struct thr *owner;          /* the holder, for the misuse checks */
    struct thr_queue queue;     /* threads waiting for the lock, in arrival order */
} mutex_t;

#endif /* _MUTEX_TYPE_H */
