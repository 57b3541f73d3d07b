/*
 * thread_spawn.h - starting a thread on a stack of your own (user/lib/thread_spawn.asm).
 *
 *   tid = thread_spawn(stack_top, fn, arg);
 *
 * The new thread runs fn(arg) with %esp just below stack_top (16-byte aligned), then
 * vanishes. The caller gets the new tid, or a negative error (memory short: nothing
 * happened). The stack is the caller's to provide: new_pages or a static array, big enough
 * for fn (printf needs about 1.5 KiB). Only the first thread has automatic stack growth.
 *
 * Reusing a stack: fn's last `ret` still reads it, so a flag that fn sets is not enough.
 * Wait until the thread no longer exists: thread_gone(tid) below.
 *
 * Most programs want thread.h instead (joins, exit statuses, guard pages, crash reports).
 * malloc and the locks of mutex.h and friends work from these threads too; fork fails in a
 * task with several threads.
 */
#ifndef _THREAD_SPAWN_H
#define _THREAD_SPAWN_H

#include <syscall.h>

int thread_spawn(void *stack_top, void (*fn)(void *), void *arg);

/* yield's error for a tid that names no thread (kernel.c: E_SRCH). */
#define THREAD_NO_SUCH  (-8)

/*
 * Returns once thread `tid` has vanished, giving it the CPU meanwhile: yield(tid) runs it
 * next if it can run, and fails with THREAD_NO_SUCH once it is gone (tids are not reused
 * soon). If it is blocked, yield(tid) fails otherwise and we let anyone run.
 */
static inline void thread_gone(int tid)
{
    int r;

    while ((r = yield(tid)) != THREAD_NO_SUCH)
        if (r < 0)
            yield(-1);
}

/* Adds n to *p as one indivisible step (lock xadd); returns the old value. */
static inline int atomic_add(volatile int *p, int n)
{
    __asm__ volatile("lock xaddl %0, %1" : "+r"(n), "+m"(*p) : : "memory");
    return n;
}

#endif /* _THREAD_SPAWN_H */
