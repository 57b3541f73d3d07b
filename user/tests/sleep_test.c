/*
 * sleep_test - sleep and get_ticks.
 *
 *   sleep(0) returns 0 at once; sleep(-1) and sleep(INT_MIN) fail.
 *   get_ticks never goes backwards, and it advances.
 *   SLEEPERS threads start together (a barrier) and each sleeps its own number of ticks, all
 *   different, in a shuffled order. Each records the tick it woke at and its place in the
 *   wake-up order. Nobody may wake early (woke >= start + n), and whoever was due earlier must
 *   have woken first. Lateness is reported, and more than LATE_MAX ticks is an error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <syscall.h>
#include <thread_spawn.h>
#include "testlib.h"

#define SLEEPERS        20
#define STACK_SIZE      (8 * 1024)
#define FIRST_TICKS     5               /* the shortest sleep */
#define STEP_TICKS      3               /* between two sleeps: dues differ even if starts do */
#define LATE_MAX        20              /* ticks past due that count as a broken sleep */
#define TICK_LOOPS      200000          /* get_ticks calls in the monotonic check */

struct sleeper {
    int ticks;                          /* how long to sleep */
    unsigned int start, woke;           /* get_ticks before and after */
    int result;                         /* sleep's return value */
    int order;                          /* 0 for the first to wake, 1 for the next, ... */
};

static struct sleeper sleepers[SLEEPERS];
static char stacks[SLEEPERS][STACK_SIZE] __attribute__((aligned(16)));
static volatile int go, ready, woken, finished;

static void sleeper_main(void *arg)
{
    struct sleeper *s = arg;

    atomic_add(&ready, 1);
    while (!go)
        yield(-1);
    s->start = get_ticks();
    s->result = sleep(s->ticks);
    s->woke = get_ticks();
    s->order = atomic_add(&woken, 1);
    atomic_add(&finished, 1);           /* after every field above is written */
}

static void check_simple_calls(void)
{
    unsigned int t0 = get_ticks();

    CHECK_INT(sleep(0), 0);
    CHECK(get_ticks() - t0 <= 1);
    CHECK_INT(sleep(-1), -2);
    CHECK_ERROR(sleep((int)0x80000000));
    t0 = get_ticks();
    CHECK_INT(sleep(1), 0);
    CHECK(get_ticks() - t0 >= 1);
}

/* get_ticks over many calls: never smaller than the call before, and it moves. */
static void check_ticks_monotonic(void)
{
    unsigned int first = get_ticks(), prev = first, now;
    int i, backwards = 0;

    for (i = 0; i < TICK_LOOPS; i++) {
        now = get_ticks();
        if ((int)(now - prev) < 0)
            backwards++;
        prev = now;
    }
    CHECK_INT(backwards, 0);
    sleep(2);
    CHECK(get_ticks() - first >= 2);
}

/* The sleep lengths FIRST_TICKS, FIRST_TICKS + STEP_TICKS, ... in a shuffled order. */
static void choose_lengths(void)
{
    int i, j, t;

    srand(410);
    for (i = 0; i < SLEEPERS; i++)
        sleepers[i].ticks = FIRST_TICKS + STEP_TICKS * i;
    for (i = SLEEPERS - 1; i > 0; i--) {
        j = rand() % (i + 1);
        t = sleepers[i].ticks;
        sleepers[i].ticks = sleepers[j].ticks;
        sleepers[j].ticks = t;
    }
}

static void check_sleepers(void)
{
    int i, j, late, max_late = 0, bad_order = 0;
    unsigned int due_i, due_j;

    for (i = 0; i < SLEEPERS; i++) {
        struct sleeper *s = &sleepers[i];
        CHECK_INT(s->result, 0);
        late = (int)(s->woke - (s->start + s->ticks));
        if (late < 0)
            printf("sleep_test: FAILED: sleep(%d) from tick %u woke at %u: early\n", s->ticks,
                   s->start, s->woke);
        CHECK(late >= 0);
        if (late > max_late)
            max_late = late;
    }
    for (i = 0; i < SLEEPERS; i++) {
        for (j = 0; j < SLEEPERS; j++) {
            due_i = sleepers[i].start + sleepers[i].ticks;
            due_j = sleepers[j].start + sleepers[j].ticks;
            if ((int)(due_i - due_j) < 0 && sleepers[i].order > sleepers[j].order) {
                printf("sleep_test: FAILED: due at %u woke after one due at %u\n", due_i, due_j);
                bad_order++;
            }
        }
    }
    CHECK_INT(bad_order, 0);
    CHECK(max_late <= LATE_MAX);
    printf("sleep_test: %d sleepers, at most %d tick(s) late\n", SLEEPERS, max_late);
}

int main(void)
{
    int i, tid;

    test_start("sleep_test");
    check_simple_calls();
    check_ticks_monotonic();
    choose_lengths();
    for (i = 0; i < SLEEPERS; i++) {
        tid = thread_spawn(stacks[i] + STACK_SIZE, sleeper_main, &sleepers[i]);
        if (!CHECK(tid > 0))
            return test_finish();
    }
    while (ready < SLEEPERS)
        yield(-1);
    go = 1;
    while (finished < SLEEPERS)
        sleep(1);                       /* the main thread sleeps among them meanwhile */
    check_sleepers();
    return test_finish();
}
