/*
 * cond.h - condition variables. cond_wait(cv, mp) releases mp and sleeps as one step with
 * respect to cond_signal (a signal sent after the release wakes this waiter), and holds mp
 * again when it returns. A signal with nobody waiting is lost. Wake-ups are in arrival order;
 * as everywhere, a woken waiter should check its condition again. Destroying a cond_t with
 * waiters panics.
 */
#ifndef _COND_H
#define _COND_H

#include <cond_type.h>
#include <mutex_type.h>

int cond_init(cond_t *cv);
void cond_destroy(cond_t *cv);
void cond_wait(cond_t *cv, mutex_t *mp);
void cond_signal(cond_t *cv);           /* wakes the longest waiter, if any */
void cond_broadcast(cond_t *cv);        /* wakes every waiter */

#endif /* _COND_H */
