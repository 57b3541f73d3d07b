/*
 * thr_threads - tests of the thread library (user/lib): creating, joining, exiting,
 * thread ids, crashes; and the kernel's calls as threaded programs use them: wait from
 * several threads at once, exit from any thread.
 *
 * One program for several tests, to keep the floppy small (the library makes every
 * program about 10 KiB larger); the first argument picks the test:
 *
 *   thr_threads create_many
 *   thr_threads join_errors
 *   thr_threads exit_first
 *   thr_threads ids
 *   thr_threads crash overflow|null|ud2 join|loop|first
 *   thr_threads wait_many
 *   thr_threads exit_other
 *
 * Each test is described where it begins below. A test prints "thr_NAME: ok" when
 * every check passed, and "thr_NAME: FAILED ..." for each one that did not.
 */
#include <malloc.h>
#include <mutex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <thread.h>
#include "thr_test.h"

/*==== create_many ====*/

/*
 * thr_threads create_many - thr_create and thr_join in numbers, with exact statuses.
 *
 *   at once    WIDE threads alive together: none may return before all were created (a
 *              barrier), every tid is positive and different, and each is joined (newest
 *              first) for its own status; half end by returning it, half by thr_exit.
 *   in a row   SERIAL threads, each created and joined before the next: stacks and control
 *              blocks are reused (a slot handed out again too soon, or a status mixed up
 *              between two threads of one slot, shows as a wrong status).
 *   nested     NEST threads each create and join NEST threads of their own: any thread may
 *              create and join, not only the first.
 *
 * Why: a thread library must keep every thread's status apart and give back what it takes
 * (init reports leaked frames), also when threads come and go by the thousand.
 */

#define MANY_STACK_SIZE      8192
#define WIDE            64
#define SERIAL          2000
#define NEST            8
#define STATUS_WIDE     1000
#define STATUS_SERIAL   50000

static volatile int started;            /* how many of the WIDE threads have begun to run */
static volatile int go;                 /* set once all of them run: they may end */

/* One of the WIDE threads: waits until all run at once, then ends with its status. */
static void *wide_thread(void *arg)
{
    int i = (int)arg;

    thr_test_add(&started, 1);
    while (!go)
        yield(-1);
    if (i % 2)
        thr_exit((void *)(STATUS_WIDE + i));
    return (void *)(STATUS_WIDE + i);
}

static void test_wide(void)
{
    int tids[WIDE], i, j, tid, tries;
    void *status;

    for (i = 0; i < WIDE; i++) {
        tids[i] = thr_create(wide_thread, (void *)i);
        if (!CHECK(tids[i] > 0))
            exit(1);
        for (j = 0; j < i; j++)
            CHECK(tids[j] != tids[i]);
    }
    for (tries = 0; started < WIDE && tries < 100000; tries++)
        yield(-1);
    CHECK_INT(started, WIDE);           /* all alive together */
    go = 1;
    for (i = WIDE - 1; i >= 0; i--) {
        status = NULL;
        tid = thr_join(tids[i], &status);
        CHECK_INT(tid, 0);
        CHECK_INT((int)status, STATUS_WIDE + i);
    }
}

static void *serial_thread(void *arg)
{
    int i = (int)arg;

    if (i % 3 == 0)
        thr_exit((void *)(STATUS_SERIAL + i));
    if (i % 3 == 1)
        yield(-1);
    return (void *)(STATUS_SERIAL + i);
}

static void test_serial(void)
{
    int i, tid, r, bad = 0;
    void *status;

    for (i = 0; i < SERIAL && bad < 5; i++) {
        tid = thr_create(serial_thread, (void *)i);
        if (tid <= 0) {
            printf("thr_create_many: FAILED: serial thread %d: thr_create -> %d\n", i, tid);
            bad++;
            continue;
        }
        status = NULL;
        r = thr_join(tid, &status);
        if (r != 0 || (int)status != STATUS_SERIAL + i) {
            printf("thr_create_many: FAILED: serial thread %d: join -> %d, status %d\n", i, r,
                   (int)status);
            bad++;
        }
    }
    CHECK_INT(bad, 0);
}

/* A grandchild of the first thread: returns arg * 3. */
static void *leaf_thread(void *arg)
{
    return (void *)((int)arg * 3);
}

/* One of the NEST threads: makes and joins NEST leaves; returns the sum of their statuses. */
static void *nest_thread(void *arg)
{
    int tids[NEST], i, sum = 0, base = (int)arg * 100;
    void *status;

    for (i = 0; i < NEST; i++)
        tids[i] = thr_create(leaf_thread, (void *)(base + i));
    for (i = 0; i < NEST; i++) {
        if (tids[i] <= 0 || thr_join(tids[i], &status) != 0)
            return (void *)-1;
        sum += (int)status;
    }
    return (void *)sum;
}

static void test_nested(void)
{
    int tids[NEST], i, want;
    void *status;

    for (i = 0; i < NEST; i++) {
        tids[i] = thr_create(nest_thread, (void *)(i + 1));
        CHECK(tids[i] > 0);
    }
    for (i = 0; i < NEST; i++) {
        want = 3 * (NEST * (i + 1) * 100 + NEST * (NEST - 1) / 2);
        CHECK_INT(thr_join(tids[i], &status), 0);
        CHECK_INT((int)status, want);
    }
}

static int many_main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    test_start("thr_create_many");
    if (!CHECK(thr_init(MANY_STACK_SIZE) == 0))
        return 1;
    test_wide();
    printf("thr_create_many: %d threads at once\n", WIDE);
    test_serial();
    printf("thr_create_many: %d threads in a row\n", SERIAL);
    test_nested();
    printf("thr_create_many: %d x %d nested\n", NEST, NEST);
    return test_finish();
}

/*==== join_errors ====*/

/*
 * thr_threads join_errors - the joins that must fail, and that they leave the right ones working.
 *
 *   thr_join(own tid)                      negative (would wait for ever)
 *   thr_join(tid of no thread of ours)     negative: never made, 0, -1, another task's (init)
 *   thr_join(t) a second time              negative, after a first join got t's status
 *   two joiners of one thread              while A sleeps in thr_join(t), the first thread's
 *                                          thr_join(t) is negative at once; A still gets t's
 *                                          status when t ends, and t cannot be joined again
 *                                          (a third thread's join is refused the same way)
 *   thr_join(t, NULL)                      fine: the status is dropped
 *   a thread joins a running sibling       and gets its status when it ends
 *
 * Why: thr_join's contract makes these errors, not hangs; a library that let two joiners
 * share one thread would leave one sleeping for ever or hand a status out twice.
 */

#define JOIN_STACK_SIZE      8192
#define NO_SUCH_TID     999999
#define INIT_TID        1           /* init's first thread: another task's */

static volatile int release_target;     /* the target thread may end */

static void *quick_thread(void *arg)
{
    return arg;
}

/* Waits until released, then ends with status 77. */
static void *target_thread(void *arg)
{
    (void)arg;
    while (!release_target)
        yield(-1);
    return (void *)77;
}

/* Joins the thread arg; ends with its status + 1000, or -1000 - error if the join failed. */
static void *joiner_thread(void *arg)
{
    void *status = NULL;
    int r = thr_join((int)arg, &status);

    if (r != 0)
        return (void *)(-1000 + r);
    return (void *)((int)status + 1000);
}

/* Joins itself: must be refused. Returns 1 if it was. */
static void *self_joiner(void *arg)
{
    void *status;

    (void)arg;
    return (void *)(thr_join(thr_getid(), &status) < 0);
}

static int join_main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    int t, a, b, r;
    void *status;

    test_start("thr_join_errors");
    if (!CHECK(thr_init(JOIN_STACK_SIZE) == 0))
        return 1;

    /* oneself, from the first thread and from another one */
    CHECK(thr_join(thr_getid(), &status) < 0);
    CHECK(thr_join(gettid(), NULL) < 0);
    t = thr_create(self_joiner, NULL);
    CHECK(t > 0);
    CHECK_INT(thr_join(t, &status), 0);
    CHECK_INT((int)status, 1);

    /* tids that name no thread of ours */
    CHECK(thr_join(NO_SUCH_TID, &status) < 0);
    CHECK(thr_join(0, &status) < 0);
    CHECK(thr_join(-1, &status) < 0);
    CHECK(thr_join(INIT_TID, &status) < 0);

    /* twice */
    t = thr_create(quick_thread, (void *)5);
    CHECK(t > 0);
    status = NULL;
    CHECK_INT(thr_join(t, &status), 0);
    CHECK_INT((int)status, 5);
    CHECK(thr_join(t, &status) < 0);

    /* no status wanted */
    t = thr_create(quick_thread, (void *)6);
    CHECK(t > 0);
    CHECK_INT(thr_join(t, NULL), 0);
    CHECK(thr_join(t, NULL) < 0);

    /* two joiners: a sleeps in thr_join(t); ours is refused; a gets 77 */
    t = thr_create(target_thread, NULL);
    CHECK(t > 0);
    a = thr_create(joiner_thread, (void *)t);
    CHECK(a > 0);
    thr_test_blocked(a);                /* a sleeps in its join (t still spins) */
    r = thr_join(t, &status);
    CHECK(r < 0);
    b = thr_create(joiner_thread, (void *)t);      /* a third joiner, refused too */
    CHECK(b > 0);
    CHECK_INT(thr_join(b, &status), 0);
    CHECK((int)status < -1000);       /* its join failed */
    release_target = 1;
    status = NULL;
    CHECK_INT(thr_join(a, &status), 0);
    CHECK_INT((int)status, 77 + 1000);  /* a got t's status */
    CHECK(thr_join(t, &status) < 0);    /* joined already, by a */
    CHECK(thr_join(a, &status) < 0);

    /* a joiner that waits for a running sibling, the first thread not involved */
    release_target = 0;
    t = thr_create(target_thread, NULL);
    a = thr_create(joiner_thread, (void *)t);
    CHECK(t > 0 && a > 0);
    thr_test_blocked(a);
    release_target = 1;
    CHECK_INT(thr_join(a, &status), 0);
    CHECK_INT((int)status, 1077);

    return test_finish();
}

/*==== exit_first ====*/

/*
 * thr_threads exit_first - the first thread calls thr_exit while others run: the task goes on.
 *
 * The first thread starts a joiner J and WORKERS workers, then thr_exit(FIRST_STATUS). J
 * joins the first thread (any thread may join any other) and must get FIRST_STATUS. The
 * workers wait until that join is done, so they all run after the first thread is gone, then
 * use what a program uses (printf, malloc, a mutex) and print in turn. The last thread of the
 * task to finish sets the task's status to TASK_STATUS (or to BAD_STATUS if the join went
 * wrong) and returns: the task ends with the last thread, with that status.
 *
 * Why: thr_exit from the first thread must end only that thread (unlike returning from main,
 * which ends the task), keep its status for a joiner, and leave the others able to run and
 * to end the task themselves.
 */

#define EXITF_STACK_SIZE      8192
#define WORKERS         4
#define FIRST_STATUS    5
#define TASK_STATUS     42
#define BAD_STATUS      3
#define EXITF_THREADS         (WORKERS + 1)   /* J and the workers */

static volatile int first_joined;       /* J's join returned */
static volatile int join_ok;            /* ... with FIRST_STATUS */
static volatile int turn;               /* which worker prints next */
static volatile int finished;           /* threads that have finished their work */
static mutex_t lock;
static int shared_sum;                  /* under lock */

/* Counts the caller as finished; the last of all sets the task's status. */
static void finish(void)
{
    if (thr_test_add(&finished, 1) == EXITF_THREADS - 1) {
        int status = join_ok && shared_sum == WORKERS * (WORKERS + 1) / 2 ? TASK_STATUS
                                                                          : BAD_STATUS;
        printf("thr_exit_first: last thread sets status %d\n", status);
        set_status(status);
    }
}

static void *joiner(void *arg)
{
    void *status = NULL;
    int r = thr_join((int)arg, &status);

    printf("thr_exit_first: joined the first thread: %d, status %d\n", r, (int)status);
    join_ok = (r == 0 && (int)status == FIRST_STATUS);
    finish();                           /* before the workers: they wait for first_joined */
    first_joined = 1;
    return NULL;
}

static void *exitf_worker(void *arg)
{
    int i = (int)arg;
    char *p;

    while (!first_joined)
        sleep(1);
    while (turn != i)
        yield(-1);
    p = malloc(100 * (i + 1));
    if (p == NULL)
        printf("thr_exit_first: FAILED: worker %d: malloc\n", i);
    free(p);
    mutex_lock(&lock);
    shared_sum += i + 1;
    mutex_unlock(&lock);
    printf("thr_exit_first: worker %d runs after the first thread left\n", i);
    finish();
    turn = i + 1;
    return (void *)i;
}

static int exitf_main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    int i;

    test_start("thr_exit_first");
    if (!CHECK(thr_init(EXITF_STACK_SIZE) == 0) || !CHECK(mutex_init(&lock) == 0))
        return 1;
    set_status(BAD_STATUS);             /* unless the last thread gets to say otherwise */
    if (!CHECK(thr_create(joiner, (void *)thr_getid()) > 0))
        return 1;
    for (i = 0; i < WORKERS; i++)
        if (!CHECK(thr_create(exitf_worker, (void *)i) > 0))
            return 1;
    printf("thr_exit_first: the first thread leaves\n");
    thr_exit((void *)FIRST_STATUS);
    printf("thr_exit_first: FAILED: thr_exit returned\n");
    return 1;
}

/*==== ids ====*/

/*
 * thr_threads ids - thread ids are the kernel's: they work with yield, deschedule and
 * make_runnable.
 *
 *   - thr_create's tid == the new thread's thr_getid() == its gettid(), for THREADS threads;
 *     the first thread's thr_getid() == gettid().
 *   - yield(tid) and thr_yield(tid) of a runnable thread return 0; thr_yield(-1) returns 0.
 *   - a thread deschedules itself; yield(tid) then fails (it cannot run), and the first
 *     thread wakes it with make_runnable(tid from thr_create): 0, and the thread goes on.
 *   - the other way round: the first thread deschedules itself, a thread wakes it with
 *     make_runnable of the tid the first thread got from thr_getid().
 *
 * Why: programs written for Pebbles mix the library with the raw calls, so a library that
 * used ids of its own (an index, a slot number) would break them.
 */

#define IDS_STACK_SIZE      8192
#define IDS_THREADS         8
#define E_STATE         (-9)

static volatile int getid_of[IDS_THREADS], gettid_of[IDS_THREADS];
static volatile int going_to_sleep, woke, stop_spinning;
static volatile int first_tid, waker_result = 1;

/* Records its ids. */
static void *id_thread(void *arg)
{
    int i = (int)arg;

    getid_of[i] = thr_getid();
    gettid_of[i] = gettid();
    return (void *)i;
}

/* Runnable until told to stop. */
static void *spinner(void *arg)
{
    (void)arg;
    while (!stop_spinning)
        yield(-1);
    return NULL;
}

/* Deschedules itself until made runnable; returns how many times deschedule returned. */
static void *ids_sleeper(void *arg)
{
    int reject = 0, n = 0;

    (void)arg;
    going_to_sleep = 1;
    while (!woke) {
        deschedule(&reject);
        n++;
    }
    return (void *)n;
}

/* Wakes the first thread, which deschedules itself. */
static void *waker(void *arg)
{
    int tries;

    (void)arg;
    for (tries = 0; tries < 1000000; tries++) {
        waker_result = make_runnable(first_tid);
        if (waker_result == 0)
            break;
        yield(-1);
    }
    return NULL;
}

static int ids_main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    int tids[IDS_THREADS], i, t, r, reject = 0;
    void *status;

    test_start("thr_ids");
    if (!CHECK(thr_init(IDS_STACK_SIZE) == 0))
        return 1;
    CHECK_INT(thr_getid(), gettid());

    for (i = 0; i < IDS_THREADS; i++)
        tids[i] = thr_create(id_thread, (void *)i);
    for (i = 0; i < IDS_THREADS; i++) {
        CHECK_INT(thr_join(tids[i], &status), 0);
        CHECK_INT((int)status, i);
        CHECK_INT(getid_of[i], tids[i]);
        CHECK_INT(gettid_of[i], tids[i]);
    }

    /* yield to a runnable thread by its tid */
    t = thr_create(spinner, NULL);
    CHECK(t > 0);
    CHECK_INT(yield(t), 0);
    CHECK_INT(thr_yield(t), 0);
    CHECK_INT(thr_yield(-1), 0);
    stop_spinning = 1;
    CHECK_INT(thr_join(t, NULL), 0);

    /* the thread deschedules itself; we wake it by thr_create's tid */
    t = thr_create(ids_sleeper, NULL);
    CHECK(t > 0);
    while (!going_to_sleep)
        yield(-1);
    thr_test_blocked(t);
    CHECK_INT(yield(t), E_STATE);       /* descheduled: cannot run */
    woke = 1;
    CHECK_INT(make_runnable(t), 0);
    CHECK_INT(thr_join(t, &status), 0);
    CHECK_INT((int)status, 1);          /* one deschedule, ended by our make_runnable */

    /* the first thread deschedules itself; a thread wakes it by thr_getid() */
    first_tid = thr_getid();
    t = thr_create(waker, NULL);
    CHECK(t > 0);
    r = deschedule(&reject);            /* only the waker's make_runnable ends this */
    CHECK_INT(r, 0);
    CHECK_INT(thr_join(t, NULL), 0);
    CHECK_INT(waker_result, 0);

    return test_finish();
}

/*==== crash ====*/

/*
 * thr_threads crash - a thread that faults ends the whole task, with status -2 and one
 * message line naming the thread.
 *
 *   thr_threads crash overflow join   a thread recurses without end on a thr_init(4096)
 *                                     stack and runs into the guard page below it
 *   thr_threads crash null join       a thread writes to address 0
 *   thr_threads crash ud2 loop        a thread executes ud2 (invalid opcode)
 *   thr_threads crash ud2 first       the first thread executes ud2 while a thread works
 *
 * With "join" the first thread waits in thr_join for the crashing thread; with "loop" it
 * keeps running (yield and sleep). Either way it must never get to print its "after" line,
 * and two bystanders must die with the task: one asleep in mutex_lock, one in sleep(). The
 * program prints "thr_crash: thread TID crashes" just before the fault, so the log shows which
 * tid the library's message must name.
 *
 * Why: no thread may be left waiting for a dead one (a join that never returns, a lock that
 * is never unlocked), so the library turns any thread's fault into the end of the task.
 */

#define CRASH_STACK_SIZE      4096
#define LOOP_TICKS      300         /* how long the first thread loops before giving up */

static mutex_t held;                /* the first thread holds it: a bystander sleeps on it */
static const char *how;
static volatile int stop_depth = -1;    /* never reached: the recursion has no end */

/* Deep enough to pass any stack: each level keeps 256 bytes and the result depends on all. */
static int recurse(int depth)
{
    volatile char buf[256];

    if (depth == stop_depth)
        return 0;
    buf[0] = (char)depth;
    buf[255] = (char)(depth >> 8);
    return recurse(depth + 1) + buf[0] + buf[255];
}

static void crash(void)
{
    printf("thr_crash: thread %d crashes (%s)\n", thr_getid(), how);
    if (strcmp(how, "overflow") == 0)
        printf("thr_crash: FAILED: recursion ended at %d\n", recurse(0));
    else if (strcmp(how, "null") == 0)
        *(volatile int *)0 = 1;
    else
        __asm__ volatile("ud2");
    printf("thr_crash: FAILED: thread %d survived its fault\n", thr_getid());
}

static void *crasher(void *arg)
{
    (void)arg;
    sleep(2);                           /* the first thread gets to its join or loop */
    crash();
    return NULL;
}

static void *locker(void *arg)
{
    (void)arg;
    mutex_lock(&held);
    printf("thr_crash: FAILED: the locker got the lock\n");
    return NULL;
}

static void *crash_sleeper(void *arg)
{
    (void)arg;
    sleep(100000);
    printf("thr_crash: FAILED: the sleeper woke\n");
    return NULL;
}

/* For "first": works while the first thread crashes. */
static void *crash_worker(void *arg)
{
    int i;

    (void)arg;
    for (i = 0; i < LOOP_TICKS; i++)
        sleep(1);
    printf("thr_crash: FAILED: the worker outlived the first thread's crash\n");
    return NULL;
}

static int crash_main(int argc, char **argv)
{
    int t, i;

    test_start("thr_crash");
    if (argc != 3) {
        printf("usage: thr_threads crash overflow|null|ud2 join|loop|first\n");
        return 1;
    }
    how = argv[1];
    if (!CHECK(thr_init(CRASH_STACK_SIZE) == 0) || !CHECK(mutex_init(&held) == 0))
        return 1;
    mutex_lock(&held);
    CHECK(thr_create(locker, NULL) > 0);
    CHECK(thr_create(crash_sleeper, NULL) > 0);
    if (strcmp(argv[2], "first") == 0) {
        CHECK(thr_create(crash_worker, NULL) > 0);
        sleep(2);
        crash();
        return 1;
    }
    t = thr_create(crasher, NULL);
    if (!CHECK(t > 0))
        return 1;
    printf("thr_crash: the first thread waits (%s)\n", argv[2]);
    if (strcmp(argv[2], "join") == 0) {
        thr_join(t, NULL);
        printf("thr_crash: FAILED: after join\n");
        return 1;
    }
    for (i = 0; i < LOOP_TICKS; i++) {
        yield(-1);
        sleep(1);
    }
    printf("thr_crash: FAILED: after the loop\n");
    return 1;
}

/*==== wait_many ====*/

/*
 * thr_threads wait_many - several threads of one task call wait at once (doc/syscalls.md 4):
 * each ended child is collected by exactly one wait, and a thread whose wait could only be for
 * a child that another thread already waits for gets E_CHILD (-7) at once instead of sleeping.
 *
 *   one child, two threads:
 *     in order   the first waiter sleeps in wait; the second's wait is then E_CHILD at once,
 *                while the first still sleeps; when the child ends the first gets its tid
 *                and status. Twice: the first thread waits first, then a created thread does.
 *     together   two created threads wait at the same moment: one sleeps, the other's wait is
 *                E_CHILD while the first still sleeps.
 *     ended      the child has ended before either thread waits: one wait gets it, the other
 *                is E_CHILD.
 *   many         WAIT_KIDS children (half end at once, half are held until every waiter
 *                exists) and WAIT_KIDS waiting threads: every child's tid comes back once,
 *                with its own status. Then with WAIT_EXTRA waiters more: those get E_CHILD.
 *
 * A held child sleeps in deschedule until the parent wakes it with make_runnable, so the test
 * decides when it ends, whatever the timer does. Threads are made after the forks and joined
 * before the next ones (fork refuses a task with more than one thread). A watchdog thread
 * turns a wait that sleeps for ever into a FAILED line: it lets the held children go (else
 * init would wait for them for ever) and ends the task.
 *
 * Why: a kernel that lets two waiters count on one child leaves one asleep for ever, and one
 * that hands a zombie to two waiters reports a child twice (and frees it twice).
 */

#define WAIT_STACK_SIZE     4096
#define E_CHILD             (-7)
#define E_SRCH              (-8)
#define WAIT_KIDS           6           /* children of the "many" rounds */
#define WAIT_EXTRA          2           /* waiters beyond one per child */
#define WAIT_STATUS         300         /* child i ends with WAIT_STATUS + i */
#define NO_RESULT           (-12345)    /* a status no wait has written */
#define WAIT_PATIENCE       500         /* ticks to wait for something that takes a few */

/* What one wait call gave, filled in by the thread that made it. */
struct wait_result {
    int tid;                            /* wait's return value */
    int status;
    volatile int done;                  /* wait has returned */
};

static struct wait_result first_wait, second_wait;
static volatile int waiting_first_tid;  /* the thread that waits first in an ordered round */
static volatile int held_child;         /* the child the ordered rounds wait for */
static volatile int first_still_waiting;    /* ... when the second's wait returned */
static volatile int waits_returned;     /* wait calls of this round that have returned */
static int held_kids[WAIT_KIDS];        /* this round's held children */
static int nheld;

/* Forks a child that ends with `status`: at once, or, if `hold`, only once the parent wakes
 * it with make_runnable. Returns its tid. */
static int wait_fork(int status, int hold)
{
    int tid = fork(), reject = 0;

    if (tid == 0) {
        if (hold)
            deschedule(&reject);
        exit(status);
    }
    if (!CHECK(tid > 0))
        exit(1);
    if (hold)
        held_kids[nheld++] = tid;
    return tid;
}

/* Lets a held child end; make_runnable fails until the child has got to its deschedule. */
static void wait_release(int child)
{
    int tries;

    for (tries = 0; make_runnable(child) != 0; tries++) {
        if (tries == WAIT_PATIENCE) {
            printf("thr_wait_many: FAILED: child %d never descheduled\n", child);
            exit(1);
        }
        sleep(1);
    }
}

/* Returns once the child's thread is gone (the child ended), without collecting it. */
static void wait_until_ended(int child)
{
    int tries;

    for (tries = 0; yield(child) != E_SRCH; tries++) {
        if (tries == WAIT_PATIENCE) {
            printf("thr_wait_many: FAILED: child %d never ended\n", child);
            exit(1);
        }
        sleep(1);
    }
}

/* A waiting thread: calls wait once and records what it gave in *arg. */
static void *one_wait(void *arg)
{
    struct wait_result *r = arg;

    r->status = NO_RESULT;
    r->tid = wait(&r->status);
    r->done = 1;
    thr_test_add(&waits_returned, 1);
    return NULL;
}

/* Starts a round: no waits returned, no children held yet. */
static void wait_round_start(void)
{
    waits_returned = 0;
    nheld = 0;
}

/* The watchdog of a round: returns once `arg` waits have returned; if they have not after
 * WAIT_PATIENCE ticks, says so, lets the held children end and ends the task. */
static void *wait_watchdog(void *arg)
{
    int want = (int)arg, tries, i;

    for (tries = 0; waits_returned < want; tries++) {
        if (tries == WAIT_PATIENCE) {
            printf("thr_wait_many: FAILED: %d of %d waits still sleep\n",
                   want - waits_returned, want);
            for (i = 0; i < nheld; i++)
                make_runnable(held_kids[i]);
            exit(1);
        }
        sleep(1);
    }
    return NULL;
}

/* Starts the watchdog for `want` waits. */
static int wait_watch(int want)
{
    int t = thr_create(wait_watchdog, (void *)want);

    if (!CHECK(t > 0))
        exit(1);
    return t;
}

/* Of two waits for one child: exactly one got its tid and status, the other E_CHILD. */
static void check_one_winner(const char *round, struct wait_result *a, struct wait_result *b,
                             int child, int status)
{
    struct wait_result *won = a->tid == child ? a : b, *lost = won == a ? b : a;

    if (won->tid == child && won->status == status && lost->tid == E_CHILD &&
        lost->status == NO_RESULT)
        return;
    printf("thr_wait_many: FAILED: %s: waits gave %d (status %d) and %d (status %d); "
           "expected %d (status %d) and %d\n", round, a->tid, a->status, b->tid, b->status,
           child, status, E_CHILD);
    test_failures++;
}

/* The second waiter of an ordered round: once the first sleeps in its wait, waits too (which
 * must be E_CHILD at once), notes whether the first still sleeps, then lets the child end. */
static void *wait_second(void *arg)
{
    (void)arg;
    thr_test_blocked(waiting_first_tid);
    one_wait(&second_wait);
    first_still_waiting = !first_wait.done;
    wait_release(held_child);
    return NULL;
}

/* One held child, two waiters in a known order: the first thread first, or a created one. */
static void wait_in_order(int main_first)
{
    const char *round = main_first ? "in order, first thread first" :
                                     "in order, created thread first";
    int t, dog;

    memset(&first_wait, 0, sizeof first_wait);
    memset(&second_wait, 0, sizeof second_wait);
    wait_round_start();
    held_child = wait_fork(WAIT_STATUS, 1);
    dog = wait_watch(2);
    if (main_first) {
        waiting_first_tid = thr_getid();
        t = thr_create(wait_second, NULL);
        CHECK(t > 0);
        one_wait(&first_wait);
    } else {
        t = thr_create(one_wait, &first_wait);
        CHECK(t > 0);
        waiting_first_tid = t;
        wait_second(NULL);
    }
    CHECK_INT(thr_join(t, NULL), 0);
    CHECK_INT(thr_join(dog, NULL), 0);
    CHECK_INT(second_wait.tid, E_CHILD);
    CHECK(first_still_waiting);         /* E_CHILD came at once, not after the child ended */
    check_one_winner(round, &first_wait, &second_wait, held_child, WAIT_STATUS);
    printf("thr_wait_many: %s: one wait got the child, the other %d\n", round, E_CHILD);
}

/* One held child, two created threads waiting at once: whichever comes second must not
 * sleep. If both sleep, the child is let go and the task ends (a thread would sleep on). */
static void wait_together(void)
{
    struct wait_result a = { 0, 0, 0 }, b = { 0, 0, 0 };
    int child, ta, tb, tries;

    wait_round_start();
    child = wait_fork(WAIT_STATUS + 1, 1);
    ta = thr_create(one_wait, &a);
    tb = thr_create(one_wait, &b);
    CHECK(ta > 0 && tb > 0);
    for (tries = 0; !a.done && !b.done && tries < WAIT_PATIENCE; tries++)
        sleep(1);
    if (!a.done && !b.done) {
        printf("thr_wait_many: FAILED: together: both waits sleep for one child\n");
        wait_release(child);
        exit(1);
    }
    CHECK(!a.done || !b.done);          /* the other still sleeps: the child lives */
    wait_release(child);
    CHECK_INT(thr_join(ta, NULL), 0);
    CHECK_INT(thr_join(tb, NULL), 0);
    check_one_winner("together", &a, &b, child, WAIT_STATUS + 1);
    printf("thr_wait_many: together: one wait got the child, the other %d\n", E_CHILD);
}

/* The child has ended before the first thread and a created one wait for it. */
static void wait_after_end(void)
{
    struct wait_result a = { 0, 0, 0 }, b = { 0, 0, 0 };
    int child, t, dog;

    wait_round_start();
    child = wait_fork(WAIT_STATUS + 2, 0);
    wait_until_ended(child);
    dog = wait_watch(2);
    t = thr_create(one_wait, &b);
    CHECK(t > 0);
    one_wait(&a);
    CHECK_INT(thr_join(t, NULL), 0);
    CHECK_INT(thr_join(dog, NULL), 0);
    check_one_winner("ended", &a, &b, child, WAIT_STATUS + 2);
    printf("thr_wait_many: ended: one wait got the child, the other %d\n", E_CHILD);
}

/* WAIT_KIDS children, `waiters` threads that wait once each (at least WAIT_KIDS). */
static void wait_many_round(int waiters)
{
    struct wait_result res[WAIT_KIDS + WAIT_EXTRA];
    int kids[WAIT_KIDS], threads[WAIT_KIDS + WAIT_EXTRA], i, j, found, echild = 0, dog;

    memset(res, 0, sizeof res);
    wait_round_start();
    for (i = 0; i < WAIT_KIDS; i++)
        kids[i] = wait_fork(WAIT_STATUS + i, i % 2);
    dog = wait_watch(waiters);
    for (i = 0; i < waiters; i++)
        if (!CHECK((threads[i] = thr_create(one_wait, &res[i])) > 0))
            exit(1);
    for (i = 1; i < WAIT_KIDS; i += 2)
        wait_release(kids[i]);
    for (i = 0; i < waiters; i++)
        CHECK_INT(thr_join(threads[i], NULL), 0);
    CHECK_INT(thr_join(dog, NULL), 0);

    for (i = 0; i < WAIT_KIDS; i++) {   /* each child exactly once, with its status */
        for (j = 0, found = 0; j < waiters; j++)
            if (res[j].tid == kids[i]) {
                found++;
                CHECK_INT(res[j].status, WAIT_STATUS + i);
            }
        if (found != 1)
            printf("thr_wait_many: FAILED: %d waiters: child %d collected %d times\n",
                   waiters, kids[i], found);
        CHECK_INT(found, 1);
    }
    for (j = 0; j < waiters; j++)
        if (res[j].tid == E_CHILD) {
            echild++;
            CHECK_INT(res[j].status, NO_RESULT);
        }
    CHECK_INT(echild, waiters - WAIT_KIDS);
    CHECK_INT(wait(NULL), E_CHILD);     /* nothing left over */
    printf("thr_wait_many: %d children, %d waiters: each child once, %d waits got %d\n",
           WAIT_KIDS, waiters, echild, E_CHILD);
}

static int wait_main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    test_start("thr_wait_many");
    if (!CHECK(thr_init(WAIT_STACK_SIZE) == 0))
        return 1;
    wait_in_order(1);
    wait_in_order(0);
    wait_together();
    wait_after_end();
    wait_many_round(WAIT_KIDS);
    wait_many_round(WAIT_KIDS + WAIT_EXTRA);
    return test_finish();
}

/*==== exit_other ====*/

/*
 * thr_threads exit_other - exit(status) from any thread ends the whole task at once, and so
 * does returning from main while other threads still run (doc/syscalls.md, "Exit status").
 *
 * The first thread forks one child per way below; each child calls thr_init and makes its
 * threads, and the parent's wait must give exactly the status the child ended with:
 *
 *   sleep       a second thread calls exit(7) while the first sleeps in sleep()
 *   spin        ... while the first runs in user mode
 *   deschedule  ... while the first is descheduled
 *   join        ... while the first sleeps in thr_join of the second
 *   return      the first thread returns 9 from main while others spin, sleep, wait for a
 *               mutex the first thread holds, and sleep in thr_join of the first thread
 *   exit        the first thread calls exit(11), with the same company
 *
 * A thread that gets past the point where the task should have ended prints a FAILED line
 * (they all give up after EXITO_LONG ticks); a thread the kernel failed to end would also
 * keep its task, and so the parent's wait, from ending.
 *
 * Why: exit is task_vanish, so a program may end from whichever thread finds it is done; the
 * first thread's join or sleep must not outlive that, nor may other threads outlive main.
 */

#define EXITO_STACK_SIZE    4096
#define EXITO_LONG          300         /* ticks: far longer than any child should live */
#define EXITO_STATUS_OTHER  7           /* a second thread's exit */
#define EXITO_STATUS_RETURN 9           /* main's return value */
#define EXITO_STATUS_FIRST  11          /* the first thread's exit */

/* The ways that end on their own if the kernel leaves the first thread running come first,
 * so that such a kernel shows FAILED lines before a join or deschedule hangs. */
enum exito_way { BY_SLEEP, BY_SPIN, BY_DESCHEDULE, BY_JOIN, BY_RETURN, BY_EXIT, EXITO_WAYS };

static const char *const exito_names[EXITO_WAYS] = {
    "sleep", "spin", "deschedule", "join", "return", "exit"
};
static const int exito_statuses[EXITO_WAYS] = {
    EXITO_STATUS_OTHER, EXITO_STATUS_OTHER, EXITO_STATUS_OTHER, EXITO_STATUS_OTHER,
    EXITO_STATUS_RETURN, EXITO_STATUS_FIRST
};

static enum exito_way exito_way;        /* what this child does */
static volatile int exito_first;        /* the child's first thread */
static volatile int exito_spins;        /* progress of a thread spinning in user mode */
static mutex_t exito_lock;              /* held by the first thread: a bystander waits */

/* Spins in user mode (a system call only every 2^20 turns) for EXITO_LONG ticks. */
static void exito_spin(void)
{
    unsigned start = get_ticks();

    while ((++exito_spins & 0xfffff) != 0 || get_ticks() - start < EXITO_LONG)
        continue;
}

/* Returns once the spinning thread has been seen to make progress. */
static void exito_see_spinning(void)
{
    int before = exito_spins;

    while (exito_spins == before)
        yield(-1);
}

/* The second thread: once the first is where exito_way says, exit(7). */
static void *exito_exiter(void *arg)
{
    (void)arg;
    if (exito_way == BY_SPIN)
        exito_see_spinning();
    else
        thr_test_blocked(exito_first);
    printf("thr_exit_other: %s: thread %d calls exit(%d)\n", exito_names[exito_way],
           thr_getid(), EXITO_STATUS_OTHER);
    exit(EXITO_STATUS_OTHER);
    printf("thr_exit_other: FAILED: exit returned\n");
    return NULL;
}

/* The first thread, when another one exits: it waits (or spins) as exito_way says. */
static void exito_first_waits(int exiter)
{
    int zero = 0;

    if (exito_way == BY_JOIN)
        thr_join(exiter, NULL);
    else if (exito_way == BY_SLEEP)
        sleep(EXITO_LONG);
    else if (exito_way == BY_DESCHEDULE)
        deschedule(&zero);
    else
        exito_spin();
    printf("thr_exit_other: FAILED: %s: the first thread ran on after exit\n",
           exito_names[exito_way]);
}

/* Bystanders of the first thread's own end: each must die with the task where it is. */
static void *exito_spinner(void *arg)
{
    (void)arg;
    exito_spin();
    printf("thr_exit_other: FAILED: %s: a spinning thread outlived main\n",
           exito_names[exito_way]);
    return NULL;
}

static void *exito_sleeper(void *arg)
{
    (void)arg;
    sleep(EXITO_LONG);
    printf("thr_exit_other: FAILED: %s: a sleeping thread woke\n", exito_names[exito_way]);
    return NULL;
}

static void *exito_locker(void *arg)
{
    (void)arg;
    mutex_lock(&exito_lock);
    printf("thr_exit_other: FAILED: %s: a thread got the lock\n", exito_names[exito_way]);
    return NULL;
}

static void *exito_joiner(void *arg)
{
    (void)arg;
    thr_join(exito_first, NULL);
    printf("thr_exit_other: FAILED: %s: a join of the first thread returned\n",
           exito_names[exito_way]);
    return NULL;
}

/* The child: sets its threads up for `way`. Returns main's value (way BY_RETURN only). */
static int exito_child(enum exito_way way)
{
    int t[3], i;

    exito_way = way;
    if (thr_init(EXITO_STACK_SIZE) != 0 || mutex_init(&exito_lock) != 0)
        exit(1);
    exito_first = thr_getid();
    if (way < BY_RETURN) {
        t[0] = thr_create(exito_exiter, NULL);
        if (t[0] < 0)
            exit(2);
        exito_first_waits(t[0]);
        exit(3);
    }
    mutex_lock(&exito_lock);
    if (thr_create(exito_spinner, NULL) < 0)
        exit(2);
    t[0] = thr_create(exito_sleeper, NULL);
    t[1] = thr_create(exito_locker, NULL);
    t[2] = thr_create(exito_joiner, NULL);
    for (i = 0; i < 3; i++)
        if (t[i] < 0)
            exit(2);
        else
            thr_test_blocked(t[i]);
    exito_see_spinning();
    printf("thr_exit_other: %s: the first thread ends the task with %d; 4 threads run on\n",
           exito_names[way], exito_statuses[way]);
    if (way == BY_EXIT)
        exit(EXITO_STATUS_FIRST);
    return EXITO_STATUS_RETURN;
}

static int exito_main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    int way, tid, status;

    test_start("thr_exit_other");
    for (way = 0; way < EXITO_WAYS; way++) {
        tid = fork();
        if (tid == 0)
            return exito_child((enum exito_way)way);    /* main returns this */
        if (!CHECK(tid > 0))
            break;
        status = NO_RESULT;
        CHECK_INT(wait(&status), tid);
        if (status != exito_statuses[way])
            printf("thr_exit_other: FAILED: %s: status %d, expected %d\n", exito_names[way],
                   status, exito_statuses[way]);
        else
            printf("thr_exit_other: %s: the task ended with status %d\n", exito_names[way],
                   status);
    }
    return test_finish();
}

/*==== Picking the test ====*/

static const struct thr_test tests[] = {
    { "create_many", many_main },
    { "join_errors", join_main },
    { "exit_first", exitf_main },
    { "ids", ids_main },
    { "crash", crash_main },
    { "wait_many", wait_main },
    { "exit_other", exito_main },
};

int main(int argc, char **argv)
{
    return thr_test_main("thr_threads", tests, sizeof tests / sizeof tests[0], argc, argv);
}
