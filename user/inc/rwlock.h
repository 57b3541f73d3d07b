/*
 * rwlock.h - readers-writer locks: any number of readers together, or one writer alone.
 *
 * Requests are served in arrival order: a reader that comes while a writer waits queues
 * behind that writer, so a stream of readers never starves a writer (and a run of waiting
 * readers is let in together). rwlock_downgrade turns the caller's write lock into a read
 * lock with no writer in between, and lets in the readers queued first. Unlocking a lock that
 * is not held, or a write lock held by another thread, and destroying a lock that is held or
 * has waiters, panic.
 */
#ifndef _RWLOCK_H
#define _RWLOCK_H

#include <rwlock_type.h>

int rwlock_init(rwlock_t *rwlock);
void rwlock_lock(rwlock_t *rwlock, int type);   /* RWLOCK_READ or RWLOCK_WRITE */
void rwlock_unlock(rwlock_t *rwlock);
void rwlock_destroy(rwlock_t *rwlock);
void rwlock_downgrade(rwlock_t *rwlock);

#endif /* _RWLOCK_H */
