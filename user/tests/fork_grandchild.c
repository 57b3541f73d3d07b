/*
 * fork_grandchild - orphans go to init. The child forks two grandchildren: a "sleeper" that is
 * still alive when the child exits, and a "quick" one that has already exited (a zombie nobody
 * collected). The child then exits at once without waiting. Our wait must see only the child,
 * then fail at once: the grandchildren are not ours. The sleeper prints its line after we have
 * said "ok" and exited; init must collect both grandchildren, and the .t rejects init's
 * "frames leaked" line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <syscall.h>
#include "testlib.h"

#define CHILD_STATUS    11
#define SLEEPER_TICKS   100     /* outlives us, so init must reap it */
#define ZOMBIE_TICKS    5       /* time for the quick grandchild to exit */
#define QUICK_TICKS     50      /* "at once", generously: well below SLEEPER_TICKS */

static void sleeper(void)
{
    sleep(SLEEPER_TICKS);
    printf("fork_grandchild: sleeper grandchild exiting\n");
    exit(22);
}

/* The child: two grandchildren, the quick one exited before we go, then exit unwaited. */
static void child(void)
{
    int quick, sleepy = fork();

    if (sleepy == 0)
        sleeper();
    quick = fork();
    if (quick == 0)
        exit(33);
    if (sleepy < 0 || quick < 0) {
        printf("fork_grandchild: FAILED: child's fork: %d %d\n", sleepy, quick);
        exit(1);
    }
    sleep(ZOMBIE_TICKS);                /* the quick grandchild is a zombie by now */
    printf("fork_grandchild: child exiting, grandchildren %d and %d unwaited\n", sleepy, quick);
    exit(CHILD_STATUS);
}

int main(void)
{
    int status = -1, tid;
    unsigned start;

    test_start("fork_grandchild");
    tid = fork();
    if (tid == 0)
        child();
    CHECK(tid > 0);
    CHECK_INT(wait(&status), tid);
    CHECK_INT(status, CHILD_STATUS);
    start = get_ticks();
    status = 1234;
    CHECK_INT(wait(&status), -7);       /* grandchildren are not ours */
    CHECK_INT(status, 1234);
    CHECK(get_ticks() - start < QUICK_TICKS);
    printf("fork_grandchild: wait sees only the child\n");
    return test_finish();
}
