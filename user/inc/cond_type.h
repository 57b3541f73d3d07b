/*
 * cond_type.h - what a cond_t holds (user/lib/cond.c).
 */
#ifndef _COND_TYPE_H
#define _COND_TYPE_H

#include <thr_queue.h>

typedef struct cond {
    volatile int guard;         /* held for a few instructions while queue changes */
    int valid;                  /* THR_VALID between init and destroy */
    struct thr_queue queue;     /* threads in cond_wait, in arrival order */
} cond_t;

#endif /* _COND_TYPE_H */
