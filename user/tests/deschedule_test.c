/*
 * deschedule_test - deschedule and make_runnable, alone and racing each other.
 *
 * Single calls:
 *   deschedule(&x), x != 0        returns 0 at once (also when x is read-only memory)
 *   deschedule(bad pointer)       an error: NULL, kernel memory, unmapped, half-mapped
 *   make_runnable(descheduled)    0, and the thread goes on; a second one: -9
 *   make_runnable(self, runnable or sleeping thread)   -9 (not descheduled)
 *   make_runnable(no such tid)    -8
 * The race: two threads hand a turn back and forth PINGPONGS times. Each gives the turn by
 * setting the other's flag and calling make_runnable, and waits with deschedule(&own flag),
 * so every interleaving of "flag set / make_runnable / deschedule" occurs; a lost wakeup
 * leaves both descheduled, which a watchdog thread reports instead of hanging.
 */
#include <stdio.h>
#include <stdlib.h>
#include <syscall.h>
#include <thread_spawn.h>
#include "testlib.h"

#define STACK_SIZE      (8 * 1024)
#define E_SRCH          (-8)
#define E_STATE         (-9)
#define PINGPONGS       5000            /* turns each side takes */
#define WATCHDOG_TICKS  300             /* no turn taken for this long: a hang */

static char stacks[4][STACK_SIZE] __attribute__((aligned(16)));
static const int one_readonly = 1;      /* in .rodata: readable, not writable */

/* ---- single calls ---- */

static volatile int woke, release;
static int zero;

/* Deschedules once, says it woke, then stays runnable until released. */
static void sleeper_until_woken(void *arg)
{
    (void)arg;
    deschedule(&zero);
    woke = 1;
    while (!release)
        yield(-1);
}

static void long_sleeper(void *arg)
{
    (void)arg;
    sleep(100000);                      /* ended by the final task_vanish */
}

/* Waits until thread tid is blocked somewhere (yield to it says "not runnable"). */
static void wait_blocked(int tid)
{
    while (yield(tid) != E_STATE)
        yield(-1);
}

static void check_reject_and_pointers(void)
{
    int one = 1, minus = -1;
    char *unmapped = test_unmapped_page();

    CHECK_INT(deschedule(&one), 0);
    CHECK_INT(deschedule(&minus), 0);
    CHECK_INT(deschedule((int *)&one_readonly), 0);
    CHECK_ERROR(deschedule(NULL));
    CHECK_ERROR(deschedule((int *)KERNEL_ADDRESS));
    CHECK_ERROR(deschedule((int *)WILD_ADDRESS));
    CHECK_ERROR(deschedule((int *)unmapped));
    CHECK_ERROR(deschedule((int *)(unmapped - 2)));     /* half mapped, half not */
}

static void check_make_runnable(void)
{
    int t, s;

    CHECK_INT(make_runnable(gettid()), E_STATE);
    CHECK_INT(make_runnable(0x7ffffff0), E_SRCH);
    CHECK_INT(make_runnable(0), E_SRCH);
    CHECK_INT(make_runnable(-1), E_SRCH);

    t = thread_spawn(stacks[0] + STACK_SIZE, sleeper_until_woken, NULL);
    s = thread_spawn(stacks[1] + STACK_SIZE, long_sleeper, NULL);
    if (!CHECK(t > 0 && s > 0))
        return;
    wait_blocked(t);
    wait_blocked(s);
    CHECK_INT(make_runnable(s), E_STATE);       /* sleeping is not descheduled */
    CHECK(!woke);
    CHECK_INT(make_runnable(t), 0);
    CHECK_INT(make_runnable(t), E_STATE);       /* runnable now, no longer descheduled */
    while (!woke)
        yield(-1);
    CHECK_INT(make_runnable(t), E_STATE);       /* running or runnable */
    release = 1;
    thread_gone(t);
    CHECK_INT(make_runnable(t), E_SRCH);        /* vanished */
}

/* ---- the ping-pong race ---- */

/* go[i]: it is thread i's turn (deschedule's reject). volatile, so the compiler keeps the
 * order we write: the turn is handed over only after `turns` is updated. */
static volatile int go[2];
static int tids[2];
static volatile int turns;              /* turns taken so far, by both */
static volatile int out_of_turn;        /* a thread ran when it was not its turn */
static volatile int spurious[2];        /* deschedule returned with the flag still 0 */
static volatile int mr_ok[2];           /* make_runnable found the other descheduled */
static volatile int pingpong_done;

/* Thread `me` takes PINGPONGS turns, alternating with the other thread. */
static void pingpong(void *arg)
{
    int me = (int)arg, other = 1 - me, i, r;

    for (i = 0; i < PINGPONGS; i++) {
        while (!go[me]) {
            deschedule((int *)&go[me]);
            if (!go[me])
                spurious[me]++;         /* a late make_runnable from an earlier turn */
        }
        go[me] = 0;
        if (turns % 2 != me)
            out_of_turn++;
        turns++;
        go[other] = 1;
        r = make_runnable(tids[other]);
        if (r == 0)
            mr_ok[me]++;
        else if (r != E_STATE)
            printf("deschedule_test: FAILED: make_runnable(%d) = %d\n", tids[other], r);
    }
    atomic_add(&pingpong_done, 1);
}

/* Reports a hang (both threads descheduled, a lost wakeup) instead of timing out. */
static void watchdog(void *arg)
{
    int last = -1;

    (void)arg;
    while (pingpong_done < 2) {
        if (turns == last) {
            printf("deschedule_test: FAILED: ping-pong hung after %d turns "
                   "(go %d %d; yield to them: %d %d)\n",
                   turns, go[0], go[1], yield(tids[0]), yield(tids[1]));
            exit(1);
        }
        last = turns;
        sleep(WATCHDOG_TICKS);
    }
}

static void check_pingpong(void)
{
    int w;

    tids[0] = gettid();
    go[0] = 1;                          /* thread 0 (this one) starts */
    tids[1] = thread_spawn(stacks[2] + STACK_SIZE, pingpong, (void *)1);
    if (!CHECK(tids[1] > 0))
        return;
    w = thread_spawn(stacks[3] + STACK_SIZE, watchdog, NULL);
    CHECK(w > 0);
    pingpong((void *)0);
    while (pingpong_done < 2)
        yield(-1);
    thread_gone(tids[1]);
    CHECK_INT(turns, 2 * PINGPONGS);
    CHECK_INT(out_of_turn, 0);
    printf("deschedule_test: %d turns; woken by make_runnable %d+%d times, "
           "early wake-ups %d+%d\n", turns, mr_ok[0], mr_ok[1], spurious[0], spurious[1]);
}

int main(void)
{
    test_start("deschedule_test");
    check_reject_and_pointers();
    check_make_runnable();
    check_pingpong();
    return test_finish();
}
