/*
 * thr_locks - tests of the thread library (user/lib): mutexes, condition variables,
 * semaphores, readers-writer locks.
 *
 * One program for several tests, to keep the floppy small (the library makes every
 * program about 10 KiB larger); the first argument picks the test:
 *
 *   thr_locks mutex
 *   thr_locks cond
 *   thr_locks sem
 *   thr_locks rwlock
 *   thr_locks misuse CASE
 *
 * Each test is described where it begins below. A test prints "thr_NAME: ok" when
 * every check passed, and "thr_NAME: FAILED ..." for each one that did not.
 */
#include <cond.h>
#include <mutex.h>
#include <rwlock.h>
#include <sem.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <thread.h>
#include "thr_test.h"

/*==== mutex ====*/

/*
 * thr_locks mutex - mutexes exclude, count exactly, and hand the lock over in arrival order.
 *
 *   counting   THREADS threads each add 1 to a shared counter ROUNDS times under a mutex, as
 *              a read, a yield every few rounds, and a write, so that lock holders are often
 *              descheduled and the others pile up on the lock. The total must be exact, and
 *              an "inside" marker checks that nobody ever finds another thread inside.
 *              Two mutexes are used (odd threads nest the second inside the first).
 *   FIFO       the first thread holds a mutex while WAITERS threads queue on it one by one
 *              (each is asleep before the next comes). When it unlocks and at once asks for
 *              the lock again, the waiters must get it in the order they came, and it last.
 *   init       mutex_init(NULL) fails; a destroyed mutex can be initialised and used again.
 *
 * Why: a lost update shows a broken lock; the order shows that waiters do not starve (the
 * lock is handed over, not grabbed by whoever runs first).
 */

#define MX_STACK_SIZE      8192
#define THREADS         8
#define MX_ROUNDS          400
#define MX_WAITERS         6

static mutex_t mx_lock, inner;
static volatile int counter, inner_counter, mx_inside, inner_inside, mx_collisions;

static void *counting_thread(void *arg)
{
    int i, v, me = (int)arg + 1;

    for (i = 0; i < MX_ROUNDS; i++) {
        mutex_lock(&mx_lock);
        if (mx_inside != 0)
            mx_collisions++;
        mx_inside = me;
        v = counter;
        if (i % 4 == 0)
            yield(-1);
        counter = v + 1;
        if (me % 2) {
            mutex_lock(&inner);
            if (inner_inside != 0)
                mx_collisions++;
            inner_inside = me;
            v = inner_counter;
            yield(-1);
            inner_counter = v + 1;
            inner_inside = 0;
            mutex_unlock(&inner);
        }
        if (mx_inside != me)
            mx_collisions++;
        mx_inside = 0;
        mutex_unlock(&mx_lock);
        if (i % 7 == 0)
            yield(-1);
    }
    return (void *)me;
}

static void test_counting(void)
{
    int tids[THREADS], i;
    void *status;

    CHECK_INT(mutex_init(&mx_lock), 0);
    CHECK_INT(mutex_init(&inner), 0);
    for (i = 0; i < THREADS; i++)
        CHECK((tids[i] = thr_create(counting_thread, (void *)i)) > 0);
    for (i = 0; i < THREADS; i++) {
        CHECK_INT(thr_join(tids[i], &status), 0);
        CHECK_INT((int)status, i + 1);
    }
    CHECK_INT(counter, THREADS * MX_ROUNDS);
    CHECK_INT(inner_counter, THREADS / 2 * MX_ROUNDS);
    CHECK_INT(mx_collisions, 0);
    mutex_destroy(&mx_lock);
    mutex_destroy(&inner);
}

static mutex_t fifo;
static volatile int mx_order[MX_WAITERS + 1], got;
static volatile int mx_arriving;           /* the waiter about to call mutex_lock */

static void *fifo_waiter(void *arg)
{
    int me = (int)arg;

    mx_arriving = me;
    mutex_lock(&fifo);
    mx_order[got++] = me;
    mutex_unlock(&fifo);
    return NULL;
}

static void test_fifo(void)
{
    int tids[MX_WAITERS], i;

    CHECK_INT(mutex_init(&fifo), 0);
    mutex_lock(&fifo);
    for (i = 0; i < MX_WAITERS; i++) {
        tids[i] = thr_create(fifo_waiter, (void *)(i + 1));
        CHECK(tids[i] > 0);
        while (mx_arriving != i + 1)
            yield(-1);
        thr_test_blocked(tids[i]);      /* queued: the next one comes after it */
    }
    mutex_unlock(&fifo);
    mutex_lock(&fifo);                  /* behind every waiter */
    mx_order[got++] = 0;
    mutex_unlock(&fifo);
    for (i = 0; i < MX_WAITERS; i++)
        CHECK_INT(thr_join(tids[i], NULL), 0);
    CHECK_INT(got, MX_WAITERS + 1);
    for (i = 0; i < MX_WAITERS; i++)
        CHECK_INT(mx_order[i], i + 1);
    CHECK_INT(mx_order[MX_WAITERS], 0);
    mutex_destroy(&fifo);

    /* destroyed, then initialised and used again */
    CHECK_INT(mutex_init(&fifo), 0);
    mutex_lock(&fifo);
    mutex_unlock(&fifo);
    mutex_destroy(&fifo);
}

static int mx_main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    test_start("thr_mutex");
    if (!CHECK(thr_init(MX_STACK_SIZE) == 0))
        return 1;
    CHECK(mutex_init(NULL) < 0);
    test_counting();
    printf("thr_mutex: %d threads x %d rounds: %d\n", THREADS, MX_ROUNDS, counter);
    test_fifo();
    printf("thr_mutex: waiters served in order\n");
    return test_finish();
}

/*==== cond ====*/

/*
 * thr_locks cond - condition variables: producers and consumers, signal, broadcast.
 *
 *   buffer     PRODUCERS threads put ITEMS numbered items each into a SLOTS-item ring that
 *              CONSUMERS threads empty, waiting on "not full" and "not empty" conditions.
 *              Every item must come out exactly once, and each producer's items in the
 *              order it put them (the ring is FIFO); the sum and count are checked too.
 *   lost       a cond_signal with nobody waiting is lost: a thread that waits afterwards
 *              stays asleep until the next signal.
 *   signal     WAITERS threads wait one after the other (each asleep in cond_wait before the
 *              next comes); each cond_signal wakes exactly one, the one that came first.
 *   broadcast  BROADCAST threads wait (the first thread sees them all counted while it holds
 *              the mutex, so they are all asleep in cond_wait); one cond_broadcast wakes them
 *              all, and each holds the mutex alone when cond_wait returns.
 *
 * Why: cond_wait must release the mutex and sleep as one step (else a signal slips between
 * and the waiter sleeps for ever), wake in order, and give the mutex back on return.
 */

#define CV_STACK_SIZE      8192
#define CV_PRODUCERS       3
#define CV_CONSUMERS       3
#define CV_ITEMS           300
#define CV_SLOTS           4
#define CV_DONE            (-1)            /* the item that tells a consumer to stop */
#define CV_WAITERS         4
#define BROADCAST       6

static mutex_t cv_lock;
static cond_t not_full, not_empty;
static int cv_ring[CV_SLOTS], head, used;     /* under lock */
static int cv_next_of[CV_PRODUCERS];          /* the item each producer's items must go on from */
static int cv_out_of_order, cv_total, cv_count;  /* under lock */

static void cv_put(int item)
{
    mutex_lock(&cv_lock);
    while (used == CV_SLOTS)
        cond_wait(&not_full, &cv_lock);
    cv_ring[(head + used) % CV_SLOTS] = item;
    used++;
    cond_signal(&not_empty);
    mutex_unlock(&cv_lock);
}

static void *cv_producer(void *arg)
{
    int p = (int)arg, k;

    for (k = 0; k < CV_ITEMS; k++) {
        cv_put(p * CV_ITEMS + k);
        if (k % 5 == p)
            yield(-1);
    }
    return NULL;
}

/* Takes items until DONE; returns how many it took. */
static void *cv_consumer(void *arg)
{
    int item, p, taken = 0;

    (void)arg;
    for (;;) {
        mutex_lock(&cv_lock);
        while (used == 0)
            cond_wait(&not_empty, &cv_lock);
        item = cv_ring[head];
        head = (head + 1) % CV_SLOTS;
        used--;
        cond_signal(&not_full);
        if (item != CV_DONE) {
            p = item / CV_ITEMS;
            if (p < 0 || p >= CV_PRODUCERS || item % CV_ITEMS != cv_next_of[p])
                cv_out_of_order++;
            else
                cv_next_of[p]++;
            cv_total += item;
            cv_count++;
        }
        mutex_unlock(&cv_lock);
        if (item == CV_DONE)
            return (void *)taken;
        taken++;
        if (taken % 3 == 0)
            yield(-1);
    }
}

static void cv_test_buffer(void)
{
    int prod[CV_PRODUCERS], cons[CV_CONSUMERS], i, sum = 0, want = 0;
    void *status;

    for (i = 0; i < CV_CONSUMERS; i++)
        CHECK((cons[i] = thr_create(cv_consumer, NULL)) > 0);
    for (i = 0; i < CV_PRODUCERS; i++)
        CHECK((prod[i] = thr_create(cv_producer, (void *)i)) > 0);
    for (i = 0; i < CV_PRODUCERS; i++)
        CHECK_INT(thr_join(prod[i], NULL), 0);
    for (i = 0; i < CV_CONSUMERS; i++)
        cv_put(CV_DONE);
    for (i = 0; i < CV_CONSUMERS; i++) {
        CHECK_INT(thr_join(cons[i], &status), 0);
        sum += (int)status;
    }
    for (i = 0; i < CV_PRODUCERS * CV_ITEMS; i++)
        want += i;
    CHECK_INT(sum, CV_PRODUCERS * CV_ITEMS);
    CHECK_INT(cv_count, CV_PRODUCERS * CV_ITEMS);
    CHECK_INT(cv_total, want);
    CHECK_INT(cv_out_of_order, 0);
    for (i = 0; i < CV_PRODUCERS; i++)
        CHECK_INT(cv_next_of[i], CV_ITEMS);
    CHECK_INT(used, 0);
}

static cond_t cv_cv;
static volatile int waiting, woke, cv_order[CV_WAITERS], cv_inside, cv_collisions;

/* Waits once (no condition to check: no other signal is sent); records its wake-up. */
static void *once_waiter(void *arg)
{
    mutex_lock(&cv_lock);
    waiting++;
    cond_wait(&cv_cv, &cv_lock);
    cv_order[woke++] = (int)arg;
    mutex_unlock(&cv_lock);
    return NULL;
}

static void test_lost_and_signal(void)
{
    int tids[CV_WAITERS], i, t;

    CHECK_INT(cond_init(&cv_cv), 0);
    cond_signal(&cv_cv);                   /* nobody waits: lost */
    cond_broadcast(&cv_cv);                /* likewise */
    t = thr_create(once_waiter, (void *)100);
    CHECK(t > 0);
    thr_test_blocked(t);
    thr_test_settle();
    CHECK_INT(woke, 0);
    cond_signal(&cv_cv);
    CHECK_INT(thr_join(t, NULL), 0);
    CHECK_INT(woke, 1);
    CHECK_INT(cv_order[0], 100);

    woke = waiting = 0;
    for (i = 0; i < CV_WAITERS; i++) {
        CHECK((tids[i] = thr_create(once_waiter, (void *)(i + 1))) > 0);
        thr_test_blocked(tids[i]);
        CHECK_INT(waiting, i + 1);
    }
    for (i = 0; i < CV_WAITERS; i++) {
        cond_signal(&cv_cv);
        thr_test_settle();
        mutex_lock(&cv_lock);
        CHECK_INT(woke, i + 1);         /* one signal, one waiter */
        CHECK_INT(cv_order[i], i + 1);     /* the longest waiter */
        mutex_unlock(&cv_lock);
    }
    for (i = 0; i < CV_WAITERS; i++)
        CHECK_INT(thr_join(tids[i], NULL), 0);
    cond_destroy(&cv_cv);
}

static volatile int generation;

/* Waits for the generation to change; then holds the mutex alone for a few yields. */
static void *gen_waiter(void *arg)
{
    int mine, i;

    (void)arg;
    mutex_lock(&cv_lock);
    mine = generation;
    waiting++;
    while (generation == mine)
        cond_wait(&cv_cv, &cv_lock);
    if (cv_inside)
        cv_collisions++;
    cv_inside = 1;
    for (i = 0; i < 3; i++)
        yield(-1);
    cv_inside = 0;
    woke++;
    mutex_unlock(&cv_lock);
    return NULL;
}

static void test_broadcast(void)
{
    int tids[BROADCAST], i, n = 0, tries;

    CHECK_INT(cond_init(&cv_cv), 0);
    waiting = woke = 0;
    for (i = 0; i < BROADCAST; i++)
        CHECK((tids[i] = thr_create(gen_waiter, NULL)) > 0);
    for (tries = 0; tries < 100000; tries++) {
        mutex_lock(&cv_lock);
        n = waiting;
        if (n == BROADCAST)
            break;                      /* keep the mutex: all are in cond_wait */
        mutex_unlock(&cv_lock);
        yield(-1);
    }
    CHECK_INT(n, BROADCAST);
    generation++;
    cond_broadcast(&cv_cv);
    mutex_unlock(&cv_lock);
    for (i = 0; i < BROADCAST; i++)
        CHECK_INT(thr_join(tids[i], NULL), 0);
    CHECK_INT(woke, BROADCAST);
    CHECK_INT(cv_collisions, 0);
    cond_destroy(&cv_cv);
}

static int cv_main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    test_start("thr_cond");
    if (!CHECK(thr_init(CV_STACK_SIZE) == 0) || !CHECK(mutex_init(&cv_lock) == 0) ||
        !CHECK(cond_init(&not_full) == 0) || !CHECK(cond_init(&not_empty) == 0))
        return 1;
    cv_test_buffer();
    printf("thr_cond: %d items through %d slots\n", cv_count, CV_SLOTS);
    test_lost_and_signal();
    printf("thr_cond: signals wake one each, in order\n");
    test_broadcast();
    printf("thr_cond: one broadcast woke %d\n", woke);
    return test_finish();
}

/*==== sem ====*/

/*
 * thr_locks sem - counting semaphores: a bounded buffer, arrival order, no overtaking.
 *
 *   buffer     PRODUCERS threads put ITEMS numbered items each into a SLOTS-item ring that
 *              CONSUMERS threads empty: semaphores count free and full slots, a third one
 *              (initialised to 1) guards the ring. Every item comes out exactly once, each
 *              producer's in its order, with the exact sum.
 *   counting   sem_init(s, 3): three sem_waits go through without sleeping.
 *   order      WAITERS threads sleep in sem_wait one after the other; each sem_signal lets
 *              the longest waiter go, one at a time.
 *   overtake   a unit signalled while a thread sleeps goes to that thread: the signaller's own
 *              sem_wait right after must wait its turn.
 *   init       sem_init(NULL, 1) and sem_init(s, -1) fail.
 *
 * Why: a semaphore that loses or duplicates a unit loses or duplicates items; one that lets a
 * newcomer take a unit meant for a sleeper can starve it.
 */

#define SM_STACK_SIZE      8192
#define SM_PRODUCERS       3
#define SM_CONSUMERS       4
#define SM_ITEMS           300
#define SM_SLOTS           3
#define SM_DONE            (-1)
#define SM_WAITERS         5

static sem_t free_slots, full_slots, guard;
static int sm_ring[SM_SLOTS], put_at, take_at;        /* under guard */
static int sm_next_of[SM_PRODUCERS], sm_out_of_order, sm_total, sm_count;

static void sm_put(int item)
{
    sem_wait(&free_slots);
    sem_wait(&guard);
    sm_ring[put_at] = item;
    put_at = (put_at + 1) % SM_SLOTS;
    sem_signal(&guard);
    sem_signal(&full_slots);
}

static void *sm_producer(void *arg)
{
    int p = (int)arg, k;

    for (k = 0; k < SM_ITEMS; k++) {
        sm_put(p * SM_ITEMS + k);
        if (k % 4 == p)
            yield(-1);
    }
    return NULL;
}

static void *sm_consumer(void *arg)
{
    int item, p, taken = 0;

    (void)arg;
    for (;;) {
        sem_wait(&full_slots);
        sem_wait(&guard);
        item = sm_ring[take_at];
        take_at = (take_at + 1) % SM_SLOTS;
        if (item != SM_DONE) {
            p = item / SM_ITEMS;
            if (p < 0 || p >= SM_PRODUCERS || item % SM_ITEMS != sm_next_of[p])
                sm_out_of_order++;
            else
                sm_next_of[p]++;
            sm_total += item;
            sm_count++;
        }
        sem_signal(&guard);
        sem_signal(&free_slots);
        if (item == SM_DONE)
            return (void *)taken;
        taken++;
        if (taken % 3 == 1)
            yield(-1);
    }
}

static void sm_test_buffer(void)
{
    int prod[SM_PRODUCERS], cons[SM_CONSUMERS], i, sum = 0, want = 0;
    void *status;

    CHECK_INT(sem_init(&free_slots, SM_SLOTS), 0);
    CHECK_INT(sem_init(&full_slots, 0), 0);
    CHECK_INT(sem_init(&guard, 1), 0);
    for (i = 0; i < SM_CONSUMERS; i++)
        CHECK((cons[i] = thr_create(sm_consumer, NULL)) > 0);
    for (i = 0; i < SM_PRODUCERS; i++)
        CHECK((prod[i] = thr_create(sm_producer, (void *)i)) > 0);
    for (i = 0; i < SM_PRODUCERS; i++)
        CHECK_INT(thr_join(prod[i], NULL), 0);
    for (i = 0; i < SM_CONSUMERS; i++)
        sm_put(SM_DONE);
    for (i = 0; i < SM_CONSUMERS; i++) {
        CHECK_INT(thr_join(cons[i], &status), 0);
        sum += (int)status;
    }
    for (i = 0; i < SM_PRODUCERS * SM_ITEMS; i++)
        want += i;
    CHECK_INT(sum, SM_PRODUCERS * SM_ITEMS);
    CHECK_INT(sm_count, SM_PRODUCERS * SM_ITEMS);
    CHECK_INT(sm_total, want);
    CHECK_INT(sm_out_of_order, 0);
    for (i = 0; i < SM_PRODUCERS; i++)
        CHECK_INT(sm_next_of[i], SM_ITEMS);
    CHECK_INT(put_at, take_at);
    sem_destroy(&free_slots);
    sem_destroy(&full_slots);
    sem_destroy(&guard);
}

static sem_t sm_sem;
static volatile int sm_order[SM_WAITERS + 1], passed;

/* Waits once; records its place. With arg 1000 it then signals once (for "overtake"). */
static void *waiter(void *arg)
{
    sem_wait(&sm_sem);
    sm_order[passed++] = (int)arg;
    if ((int)arg == 1000)
        sem_signal(&sm_sem);
    return NULL;
}

static void test_order(void)
{
    int tids[SM_WAITERS], i, t;

    CHECK_INT(sem_init(&sm_sem, 3), 0);
    sem_wait(&sm_sem);
    sem_wait(&sm_sem);
    sem_wait(&sm_sem);
    for (i = 0; i < SM_WAITERS; i++) {
        CHECK((tids[i] = thr_create(waiter, (void *)(i + 1))) > 0);
        thr_test_blocked(tids[i]);
    }
    for (i = 0; i < SM_WAITERS; i++) {
        sem_signal(&sm_sem);
        thr_test_settle();
        CHECK_INT(passed, i + 1);
        CHECK_INT(sm_order[i], i + 1);
    }
    for (i = 0; i < SM_WAITERS; i++)
        CHECK_INT(thr_join(tids[i], NULL), 0);
    sem_destroy(&sm_sem);

    /* overtake: our signal belongs to the sleeper; our own wait comes after it */
    passed = 0;
    CHECK_INT(sem_init(&sm_sem, 0), 0);
    CHECK((t = thr_create(waiter, (void *)1000)) > 0);
    thr_test_blocked(t);
    sem_signal(&sm_sem);
    sem_wait(&sm_sem);                     /* gets the unit the waiter gives back */
    sm_order[passed++] = 0;
    sem_signal(&sm_sem);                   /* in case we overtook: the waiter must not hang */
    CHECK_INT(thr_join(t, NULL), 0);
    CHECK_INT(passed, 2);
    CHECK_INT(sm_order[0], 1000);
    CHECK_INT(sm_order[1], 0);
    sem_wait(&sm_sem);                     /* one unit left, whatever happened */
    sem_destroy(&sm_sem);
}

static int sm_main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    sem_t s;

    test_start("thr_sem");
    if (!CHECK(thr_init(SM_STACK_SIZE) == 0))
        return 1;
    CHECK(sem_init(NULL, 1) < 0);
    CHECK(sem_init(&s, -1) < 0);
    sm_test_buffer();
    printf("thr_sem: %d items through %d slots\n", sm_count, SM_SLOTS);
    test_order();
    printf("thr_sem: waiters served in order\n");
    return test_finish();
}

/*==== rwlock ====*/

/*
 * thr_locks rwlock - readers-writer locks: readers share, writers exclude, writers do not starve,
 * and rwlock_downgrade lets the right readers in and no writer.
 *
 *   overlap    OVERLAP readers take the read lock and each stays inside (yielding) until it
 *              sees that all OVERLAP came in: then all are inside at once.
 *   exclusion  WRITERS writers and READERS readers take turns ROUNDS times, yielding inside:
 *              a writer never finds anyone else inside, a reader never finds a writer, and
 *              what a reader reads does not change while it holds the lock.
 *   starving   STREAM readers take the read lock over and over, hand over hand (each leaves
 *              only once another has come in), so that the lock is never free while they
 *              can come in. A writer that asks must get in after at most MAX_READS_AFTER
 *              more read locks (readers that come after it wait behind it).
 *   downgrade  the first thread holds the write lock while R1 (read), W2 (write) and R3 (read)
 *              queue in that order. rwlock_downgrade lets R1 in beside it; W2 stays out while
 *              either reads, and R3, queued behind W2, too. The order of entry must be
 *              first thread, R1, W2, R3. A downgraded lock with nobody queued lets a new
 *              reader in at once.
 *
 * Why: these are the promises of rwlock.h; a lock that serialises readers, lets a writer in
 * beside anyone, prefers readers for ever, or lets a writer slip in at a downgrade breaks them.
 */

#define RW_STACK_SIZE      8192
#define OVERLAP         4
#define WRITERS         2
#define READERS         4
#define RW_ROUNDS          150
#define STREAM          3
#define MAX_READS_AFTER (4 * STREAM)
#define READS_CAP       20000           /* the stream stops here if the writer never gets in */
#define PARTNER_TRIES   50              /* yields a stream reader waits for company */
#define WAIT_TRIES      2000            /* yields a thread waits for something to happen */

static rwlock_t rw_rw;
static volatile int readers_in, writers_in, bad, arrived, saw_all_inside;

/* Yields until *p == want or WAIT_TRIES pass (sleeping now and then); returns *p == want. */
static int wait_for(volatile int *p, int want)
{
    int tries;

    for (tries = 0; tries < WAIT_TRIES && *p != want; tries++) {
        yield(-1);
        if (tries % 100 == 99)
            sleep(1);
    }
    return *p == want;
}

/* ---- overlap ---- */

static void *overlap_reader(void *arg)
{
    int saw_all;

    (void)arg;
    rwlock_lock(&rw_rw, RWLOCK_READ);
    thr_test_add(&arrived, 1);
    saw_all = wait_for(&arrived, OVERLAP);  /* nobody leaves before all came in */
    rwlock_unlock(&rw_rw);
    return (void *)saw_all;
}

static void test_overlap(void)
{
    int tids[OVERLAP], i;
    void *status;

    for (i = 0; i < OVERLAP; i++)
        CHECK((tids[i] = thr_create(overlap_reader, NULL)) > 0);
    for (i = 0; i < OVERLAP; i++) {
        CHECK_INT(thr_join(tids[i], &status), 0);
        CHECK_INT((int)status, 1);      /* it saw every reader inside with it */
        saw_all_inside += (int)status;
    }
}

/* ---- exclusion ---- */

static volatile int value;              /* written under the write lock */

static void *writer(void *arg)
{
    int i;

    (void)arg;
    for (i = 0; i < RW_ROUNDS; i++) {
        rwlock_lock(&rw_rw, RWLOCK_WRITE);
        if (readers_in != 0 || writers_in != 0)
            bad++;
        writers_in++;
        value = -1;                     /* a reader inside now would see it */
        yield(-1);
        value = i;
        if (readers_in != 0 || writers_in != 1)
            bad++;
        writers_in--;
        rwlock_unlock(&rw_rw);
        if (i % 3 == 0)
            yield(-1);
    }
    return NULL;
}

static void *reader(void *arg)
{
    int i, v;

    (void)arg;
    for (i = 0; i < RW_ROUNDS; i++) {
        rwlock_lock(&rw_rw, RWLOCK_READ);
        thr_test_add(&readers_in, 1);
        v = value;
        if (writers_in != 0 || v == -1)
            bad++;
        yield(-1);
        if (writers_in != 0 || value != v)
            bad++;
        thr_test_add(&readers_in, -1);
        rwlock_unlock(&rw_rw);
        if (i % 2 == 0)
            yield(-1);
    }
    return NULL;
}

static void test_exclusion(void)
{
    int tids[WRITERS + READERS], i;

    for (i = 0; i < WRITERS + READERS; i++)
        CHECK((tids[i] = thr_create(i < WRITERS ? writer : reader, NULL)) > 0);
    for (i = 0; i < WRITERS + READERS; i++)
        CHECK_INT(thr_join(tids[i], NULL), 0);
    CHECK_INT(bad, 0);
    CHECK_INT(readers_in, 0);
    CHECK_INT(writers_in, 0);
}

/* ---- starving ---- */

static volatile int reads, writer_done, streaming;

/*
 * Reads hand over hand: stays inside until another reader has come in too (or PARTNER_TRIES
 * yields pass), so that while readers keep coming the lock is never free for a moment.
 */
static void *stream_reader(void *arg)
{
    int tries;

    (void)arg;
    while (!writer_done && reads < READS_CAP) {
        rwlock_lock(&rw_rw, RWLOCK_READ);
        thr_test_add(&reads, 1);
        thr_test_add(&streaming, 1);
        for (tries = 0; tries < PARTNER_TRIES && streaming < 2; tries++)
            yield(-1);
        yield(-1);
        thr_test_add(&streaming, -1);
        rwlock_unlock(&rw_rw);
    }
    return NULL;
}

static void *stream_writer(void *arg)
{
    int before;

    (void)arg;
    while (reads < 20)                  /* the stream is flowing */
        yield(-1);
    before = reads;
    rwlock_lock(&rw_rw, RWLOCK_WRITE);
    before = reads - before;
    writer_done = 1;
    rwlock_unlock(&rw_rw);
    return (void *)before;
}

static void test_starving(void)
{
    int tids[STREAM], w, i;
    void *status;

    for (i = 0; i < STREAM; i++)
        CHECK((tids[i] = thr_create(stream_reader, NULL)) > 0);
    CHECK((w = thr_create(stream_writer, NULL)) > 0);
    CHECK_INT(thr_join(w, &status), 0);
    for (i = 0; i < STREAM; i++)
        CHECK_INT(thr_join(tids[i], NULL), 0);
    if (!CHECK((int)status <= MAX_READS_AFTER))
        printf("thr_rwlock: the writer waited while %d read locks were taken\n", (int)status);
    CHECK(reads < READS_CAP);
}

/* ---- downgrade ---- */

static volatile int rw_order[4], entered, rw_arriving, release_r1;
static volatile int r1_in, w2_in, r3_in;

static void *queued(void *arg)
{
    int who = (int)arg;                 /* 1: R1, 2: W2, 3: R3 */

    rw_arriving = who;
    rwlock_lock(&rw_rw, who == 2 ? RWLOCK_WRITE : RWLOCK_READ);
    rw_order[entered++] = who;
    if (who == 1) {
        r1_in = 1;
        if (!wait_for(&release_r1, 1))
            bad++;
        r1_in = 0;
    } else if (who == 2) {
        w2_in = 1;
        if (r1_in)
            bad++;
        yield(-1);
        w2_in = 0;
    } else {
        r3_in = 1;
        if (w2_in)
            bad++;
        r3_in = 0;
    }
    rwlock_unlock(&rw_rw);
    return NULL;
}

static void *quick_reader(void *arg)
{
    (void)arg;
    rwlock_lock(&rw_rw, RWLOCK_READ);
    rwlock_unlock(&rw_rw);
    return (void *)1;
}

static void test_downgrade(void)
{
    int tids[3], i, t;
    void *status;

    bad = 0;
    rwlock_lock(&rw_rw, RWLOCK_WRITE);
    rw_order[entered++] = 0;
    for (i = 0; i < 3; i++) {
        CHECK((tids[i] = thr_create(queued, (void *)(i + 1))) > 0);
        while (rw_arriving != i + 1)
            yield(-1);
        thr_test_blocked(tids[i]);
    }
    rwlock_downgrade(&rw_rw);
    CHECK(wait_for(&r1_in, 1));         /* R1 reads beside us */
    CHECK_INT(w2_in, 0);
    CHECK_INT(r3_in, 0);
    release_r1 = 1;                     /* R1 leaves; we still read */
    thr_test_settle();
    CHECK_INT(entered, 2);
    CHECK_INT(w2_in, 0);
    rwlock_unlock(&rw_rw);                 /* now W2, then R3 */
    for (i = 0; i < 3; i++)
        CHECK_INT(thr_join(tids[i], NULL), 0);
    CHECK_INT(entered, 4);
    for (i = 0; i < 4; i++)
        CHECK_INT(rw_order[i], i);
    CHECK_INT(bad, 0);

    /* downgraded with nobody queued: a new reader gets in while we read */
    rwlock_lock(&rw_rw, RWLOCK_WRITE);
    rwlock_downgrade(&rw_rw);
    CHECK((t = thr_create(quick_reader, NULL)) > 0);
    CHECK_INT(thr_join(t, &status), 0);
    CHECK_INT((int)status, 1);
    rwlock_unlock(&rw_rw);
}

static int rw_main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    test_start("thr_rwlock");
    if (!CHECK(thr_init(RW_STACK_SIZE) == 0) || !CHECK(rwlock_init(&rw_rw) == 0))
        return 1;
    test_overlap();
    printf("thr_rwlock: %d readers saw all %d inside at once\n", saw_all_inside, OVERLAP);
    test_exclusion();
    printf("thr_rwlock: writers alone, readers never with a writer\n");
    test_starving();
    printf("thr_rwlock: a writer gets in through a stream of readers\n");
    test_downgrade();
    printf("thr_rwlock: downgrade lets the queued reader in, not the writer\n");
    rwlock_destroy(&rw_rw);
    return test_finish();
}

/*==== misuse ====*/

/*
 * thr_locks misuse - program errors with locks panic: "panic: ..." and the task ends with -2.
 *
 *   thr_locks misuse CASE, CASE one of:
 *     mutex_unlock_unheld      unlock a mutex nobody holds
 *     mutex_unlock_other       unlock a mutex another thread holds
 *     mutex_relock             lock a mutex the caller already holds
 *     mutex_destroy_locked     destroy a mutex the caller holds
 *     mutex_destroy_waiters    destroy a mutex another thread holds while a third waits
 *     cond_destroy_waiters     destroy a cond_t a thread waits on
 *     sem_destroy_waiters      destroy a semaphore a thread waits on
 *     rwlock_destroy_waiters   destroy a rwlock the caller holds to write while a reader waits
 *     rwlock_destroy_held      destroy a rwlock the caller holds to read
 *     rwlock_unlock_unheld     unlock a rwlock nobody holds
 *     rwlock_unlock_other      unlock a write lock another thread holds
 *     destroyed                signal a semaphore after sem_destroy
 *
 * Each case first does the same thing correctly where there is a correct form (so a library
 * that panics for everything fails), prints "thr_misuse: CASE: misusing", then misuses the
 * lock; getting past that prints a FAILED line. The other threads are asleep (on the lock or
 * waiting for ever): the panic must end them too.
 *
 * Why: mutex.h, cond.h, sem.h and rwlock.h make these program errors, and a silent one
 * (a destroyed lock with sleepers on it) would hang the program instead of saying why.
 */

#define MIS_STACK_SIZE      8192

static mutex_t m;
static cond_t mis_cv;
static sem_t mis_sem;
static rwlock_t mis_rw;
static volatile int holding;
static const char *name;

static void misusing(void)
{
    printf("thr_misuse: %s: misusing\n", name);
}

/* Takes m (or rw for writing), says so, and sleeps for ever. */
static void *mutex_holder(void *arg)
{
    (void)arg;
    mutex_lock(&m);
    holding = 1;
    while (sleep(1000) >= 0)
        continue;
    return NULL;
}

static void *rwlock_writer(void *arg)
{
    (void)arg;
    rwlock_lock(&mis_rw, RWLOCK_WRITE);
    holding = 1;
    while (sleep(1000) >= 0)
        continue;
    return NULL;
}

static void *mutex_waiter(void *arg)
{
    (void)arg;
    mutex_lock(&m);
    printf("thr_misuse: FAILED: %s: the waiter got the mutex\n", name);
    return NULL;
}

static void *cond_waiter(void *arg)
{
    (void)arg;
    mutex_lock(&m);
    cond_wait(&mis_cv, &m);
    printf("thr_misuse: FAILED: %s: the waiter woke\n", name);
    mutex_unlock(&m);
    return NULL;
}

static void *sem_waiter(void *arg)
{
    (void)arg;
    sem_wait(&mis_sem);
    printf("thr_misuse: FAILED: %s: the waiter passed\n", name);
    return NULL;
}

static void *rwlock_reader(void *arg)
{
    (void)arg;
    rwlock_lock(&mis_rw, RWLOCK_READ);
    printf("thr_misuse: FAILED: %s: the reader got in\n", name);
    return NULL;
}

/* Starts fn and returns once it is asleep for good (holding, or waiting). */
static void start(void *(*fn)(void *))
{
    int t = thr_create(fn, NULL);

    if (t <= 0) {
        printf("thr_misuse: FAILED: %s: thr_create -> %d\n", name, t);
        exit(1);
    }
    thr_test_blocked(t);
}

static int run(void)
{
    if (strcmp(name, "mutex_unlock_unheld") == 0) {
        mutex_lock(&m);
        mutex_unlock(&m);
        misusing();
        mutex_unlock(&m);
    } else if (strcmp(name, "mutex_unlock_other") == 0) {
        start(mutex_holder);
        misusing();
        mutex_unlock(&m);
    } else if (strcmp(name, "mutex_relock") == 0) {
        mutex_lock(&m);
        misusing();
        mutex_lock(&m);
    } else if (strcmp(name, "mutex_destroy_locked") == 0) {
        mutex_lock(&m);
        mutex_unlock(&m);
        mutex_destroy(&m);              /* unlocked: fine */
        mutex_init(&m);
        mutex_lock(&m);
        misusing();
        mutex_destroy(&m);
    } else if (strcmp(name, "mutex_destroy_waiters") == 0) {
        start(mutex_holder);
        start(mutex_waiter);
        misusing();
        mutex_destroy(&m);
    } else if (strcmp(name, "cond_destroy_waiters") == 0) {
        cond_destroy(&mis_cv);              /* nobody waits: fine */
        cond_init(&mis_cv);
        start(cond_waiter);
        misusing();
        cond_destroy(&mis_cv);
    } else if (strcmp(name, "sem_destroy_waiters") == 0) {
        sem_destroy(&mis_sem);
        sem_init(&mis_sem, 0);
        start(sem_waiter);
        misusing();
        sem_destroy(&mis_sem);
    } else if (strcmp(name, "rwlock_destroy_waiters") == 0) {
        rwlock_lock(&mis_rw, RWLOCK_WRITE);
        start(rwlock_reader);
        misusing();
        rwlock_destroy(&mis_rw);
    } else if (strcmp(name, "rwlock_destroy_held") == 0) {
        rwlock_lock(&mis_rw, RWLOCK_READ);
        rwlock_unlock(&mis_rw);
        rwlock_destroy(&mis_rw);            /* free: fine */
        rwlock_init(&mis_rw);
        rwlock_lock(&mis_rw, RWLOCK_READ);
        misusing();
        rwlock_destroy(&mis_rw);
    } else if (strcmp(name, "rwlock_unlock_unheld") == 0) {
        rwlock_lock(&mis_rw, RWLOCK_WRITE);
        rwlock_unlock(&mis_rw);
        misusing();
        rwlock_unlock(&mis_rw);
    } else if (strcmp(name, "rwlock_unlock_other") == 0) {
        start(rwlock_writer);
        misusing();
        rwlock_unlock(&mis_rw);
    } else if (strcmp(name, "destroyed") == 0) {
        sem_destroy(&mis_sem);              /* each lock used after its destroy: */
        misusing();
        sem_signal(&mis_sem);               /* the first use panics */
        mutex_destroy(&m);
        mutex_lock(&m);
    } else {
        printf("thr_misuse: unknown case %s\n", name);
        return 1;
    }
    printf("thr_misuse: FAILED: %s: no panic\n", name);
    return 1;
}

static int mis_main(int argc, char **argv)
{
    test_start("thr_misuse");
    if (argc != 2) {
        printf("usage: thr_locks misuse CASE\n");
        return 1;
    }
    name = argv[1];
    if (thr_init(MIS_STACK_SIZE) != 0 || mutex_init(&m) != 0 || cond_init(&mis_cv) != 0 ||
        sem_init(&mis_sem, 0) != 0 || rwlock_init(&mis_rw) != 0) {
        printf("thr_misuse: FAILED: initialisation\n");
        return 1;
    }
    return run();
}

/*==== Picking the test ====*/

static const struct thr_test tests[] = {
    { "mutex", mx_main },
    { "cond", cv_main },
    { "sem", sm_main },
    { "rwlock", rw_main },
    { "misuse", mis_main },
};

int main(int argc, char **argv)
{
    return thr_test_main("thr_locks", tests, sizeof tests / sizeof tests[0], argc, argv);
}
