/*
 * sem_type.h - what a sem_t holds (user/lib/sem.c).
 */
#ifndef _SEM_TYPE_H
#define _SEM_TYPE_H

#include <thr_queue.h>

typedef struct sem {
    volatile int guard;         /* held for a few instructions while the fields change */
    int valid;                  /* THR_VALID between init and destroy */
    int count;                  /* units available; 0 while anyone waits */
    struct thr_queue queue;     /* threads in sem_wait, in arrival order */
} sem_t;

#endif /* _SEM_TYPE_H */
