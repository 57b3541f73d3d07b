/*
 * sem.c - counting semaphores.
 *
 * count is the number of units nobody has taken. sem_signal gives its unit straight to the
 * longest waiter when there is one, without passing through count, so count stays 0 while
 * anyone waits and a newcomer cannot take a unit a sleeper was owed.
 */
#include <sem.h>
#include <thr_internals.h>
#include <assert.h>
#include <stddef.h>

int sem_init(sem_t *sem, int count)
{
    if (sem == NULL || count < 0)
        return -1;
    sem->guard = 0;
    sem->valid = THR_VALID;
    sem->count = count;
    sem->queue.head = sem->queue.tail = NULL;
    return 0;
}

/* Takes sem's guard, checking that sem is a live semaphore. */
static void sem_enter(sem_t *sem, const char *who)
{
    thr_guard_enter(&sem->guard, &sem->valid, who, sem);
}

void sem_destroy(sem_t *sem)
{
    sem_enter(sem, "sem_destroy");
    if (sem->queue.head)
        panic("sem_destroy: semaphore %p has waiting threads", (void *)sem);
    sem->valid = 0;
    thr_guard_unlock(&sem->guard);
}

void sem_wait(sem_t *sem)
{
    struct thr_waiter w;

    thr_waiter_init(&w, 0);             /* a system call: not under the guard */
    sem_enter(sem, "sem_wait");
    if (sem->count > 0) {
        sem->count--;
        thr_guard_unlock(&sem->guard);
        return;
    }
    thr_queue_push(&sem->queue, &w);
    thr_guard_unlock(&sem->guard);
    thr_sleep(&w);                      /* woken holding the unit sem_signal gave us */
}

void sem_signal(sem_t *sem)
{
    struct thr_waiter *w;

    sem_enter(sem, "sem_signal");
    w = thr_queue_pop(&sem->queue);
    if (w == NULL)
        sem->count++;
    thr_guard_unlock(&sem->guard);
    if (w)
        thr_wake(w);
}
