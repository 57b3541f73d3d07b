/*
 * thread.h - threads (user/lib/thread.c).
 *
 *   thr_init(size)         once, from the first thread, before any other thr_ call: later
 *                          threads get stacks of at least size bytes.
 *   thr_create(fn, arg)    a new thread running fn(arg); returns its tid (the kernel's, so it
 *                          works with yield and make_runnable) or a negative error.
 *   thr_exit(status)       ends the calling thread; returning status from fn does the same.
 *                          The task ends when its last thread ends.
 *   thr_join(tid, &status) waits for thread tid to end and collects its status; once per
 *                          thread, by any one thread. Negative for oneself, an unknown or
 *                          already joined tid, or a thread another thread is joining.
 *   thr_getid()            the caller's tid (= gettid()).
 *   thr_yield(tid)         yield(tid): let thread tid (-1: anyone) run.
 *
 * Each thread's stack has an unmapped guard page below it: an overflow faults. A thread that
 * faults ends the whole task with status -2 and a one-line message naming it. Only the first
 * thread's stack grows by itself.
 */
#ifndef _THREAD_H
#define _THREAD_H

#include <thr_internals.h>

int thr_init(unsigned int size);
int thr_create(void *(*func)(void *), void *arg);
int thr_join(int tid, void **statusp);
void thr_exit(void *status);
int thr_getid(void);
int thr_yield(int tid);

#endif /* _THREAD_H */
