/*
 * mutex.h - mutual exclusion between the threads of a task.
 *
 * An uncontended lock and unlock make no system call. A thread that must wait sleeps (it does
 * not spin) and the lock is handed to waiters in the order they came. Unlocking a mutex the
 * caller does not hold, locking one it already holds, and destroying one that is locked or
 * has waiters are program errors: panic() with a message.
 */
#ifndef _MUTEX_H
#define _MUTEX_H

#include <mutex_type.h>

int mutex_init(mutex_t *mp);            /* 0, or negative for a NULL pointer */
void mutex_destroy(mutex_t *mp);
void mutex_lock(mutex_t *mp);
void mutex_unlock(mutex_t *mp);

#endif /* _MUTEX_H */
