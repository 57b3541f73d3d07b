/*
 * sem.h - counting semaphores. sem_wait takes one unit, sleeping while there is none;
 * sem_signal gives one back, straight to the longest waiter if there is one (so a newcomer
 * never overtakes a sleeper). Destroying a semaphore with waiters panics.
 */
#ifndef _SEM_H
#define _SEM_H

#include <sem_type.h>

int sem_init(sem_t *sem, int count);    /* 0, or negative for NULL or count < 0 */
void sem_wait(sem_t *sem);
void sem_signal(sem_t *sem);
void sem_destroy(sem_t *sem);

#endif /* _SEM_H */
