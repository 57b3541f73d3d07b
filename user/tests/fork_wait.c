/*
 * fork_wait - fork() and wait() between one parent and one child at a time:
 *   - the child sees 0 from fork, the parent the child's tid (= the child's gettid());
 *   - exit statuses 0, 42, -7, 255 and large values of both signs come back exactly,
 *     whether the child ends with exit(), set_status()+vanish() or task_vanish();
 *   - wait(NULL) collects a child without storing a status;
 *   - wait() with an unwritable status pointer (kernel memory, unmapped memory, our own
 *     .text, a pointer running off the image) fails with -3 at once, before and after the
 *     child exited, and the child can still be collected afterwards;
 *   - the status may go to a new_pages page never touched before (zero-fill on demand);
 *   - wait() with no children fails at once (-7) and writes nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <syscall.h>
#include "testlib.h"

#define E_FAULT         (-3)
#define E_CHILD         (-7)
#define CHILD_SLEEP     60      /* ticks: long enough that the parent's bad waits come first */
#define QUICK_TICKS     30      /* "at once": a blocked wait would take CHILD_SLEEP or longer;
                                   generous, as a busy host can stall QEMU's clock */

enum how { BY_EXIT, BY_VANISH, BY_TASK_VANISH };

/* Ends the calling child with `status` in one of the three ways a task can end. */
static void child_end(int status, enum how how)
{
    if (how == BY_VANISH) {
        set_status(status);
        vanish();
    } else if (how == BY_TASK_VANISH) {
        set_status(status + 1);         /* task_vanish's own status must win */
        task_vanish(status);
    } else {
        exit(status);
    }
    printf("fork_wait: FAILED: child outlived its end\n");
    task_vanish(-99);
}

/* Forks a child that sleeps `ticks`, then ends with `status`. Returns the child's tid. */
static int spawn(int status, enum how how, int ticks)
{
    int tid = fork();

    if (tid == 0) {
        if (ticks > 0)
            sleep(ticks);
        child_end(status, how);
    }
    CHECK(tid > 0);
    return tid;
}

/* One child per status: the status and the tid come back exactly. */
static void check_statuses(void)
{
    static const int statuses[] = { 0, 42, -7, 255, 256, -2147483647 - 1, 2147483647,
                                    -123456789 };
    unsigned i;

    for (i = 0; i < sizeof statuses / sizeof statuses[0]; i++) {
        enum how how = (enum how)(i % 3);
        int status = 0x5a5a5a5a;
        int tid = spawn(statuses[i], how, (int)(i % 2));
        int got = wait(&status);

        CHECK_INT(got, tid);
        if (status != statuses[i])
            printf("fork_wait: FAILED: status %d came back as %d (how %d)\n",
                   statuses[i], status, (int)how);
        CHECK_INT(status, statuses[i]);
    }
    printf("fork_wait: %u statuses came back exactly\n", i);
}

/* The child's view: fork returned 0 and its tid is what the parent was told. */
static void check_tids(void)
{
    int me = gettid(), status = -1, tid = fork();

    if (tid == 0) {
        /* Report our tid through the exit status; a different tid than the parent's. */
        exit(gettid() == me ? -1 : gettid());
    }
    CHECK(tid > 0);
    CHECK(tid != me);
    CHECK_INT(wait(&status), tid);
    CHECK_INT(status, tid);
    CHECK_INT(gettid(), me);
    printf("fork_wait: child tid matches fork's result\n");
}

static void check_wait_null(void)
{
    int tid = spawn(9, BY_EXIT, 0);

    CHECK_INT(wait(NULL), tid);
    tid = spawn(10, BY_EXIT, 3);        /* this time wait(NULL) has to block */
    CHECK_INT(wait(NULL), tid);
    printf("fork_wait: wait(NULL) collects\n");
}

/* wait(bad) must fail at once with -3; returns the ticks it took. */
static int try_bad_waits(void)
{
    /* The last word of the page before the unmapped one: half a word hangs over. */
    int *straddle = (int *)(test_unmapped_page() - 2);
    int *bad[] = { (int *)KERNEL_ADDRESS, (int *)WILD_ADDRESS, (int *)(uintptr_t)check_tids,
                   (int *)"read-only string", straddle, (int *)0xfffffffe, (int *)0x00fffffe };
    unsigned start = get_ticks(), i;

    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int r = wait(bad[i]);
        if (r != E_FAULT)
            printf("fork_wait: FAILED: wait(%p) returned %d\n", (void *)bad[i], r);
        CHECK_INT(r, E_FAULT);
    }
    return (int)(get_ticks() - start);
}

/* Unwritable status pointers: the child is alive, then exited; it is collected last. */
static void check_bad_pointers(void)
{
    int status = 0, tid = spawn(77, BY_EXIT, CHILD_SLEEP);
    int took = try_bad_waits();

    CHECK(took < QUICK_TICKS);          /* checked before blocking */
    sleep(CHILD_SLEEP + 10);            /* now the child has exited */
    try_bad_waits();
    CHECK_INT(wait(&status), tid);      /* and is still there to collect */
    CHECK_INT(status, 77);
    printf("fork_wait: unwritable status pointers refused (%d ticks)\n", took);
}

/* The kernel's write of the status is the first touch of a zero-fill page. */
static void check_fresh_page(void)
{
    int *fresh = (int *)0x20000000;
    int tid = spawn(-5, BY_EXIT, 2);

    CHECK_INT(new_pages(fresh, 2 * PAGE_SIZE), 0);
    CHECK_INT(wait(fresh + PAGE_SIZE / 4 + 1), tid);    /* second page, never touched */
    CHECK_INT(fresh[PAGE_SIZE / 4 + 1], -5);
    CHECK_INT(fresh[0], 0);
    CHECK_INT(remove_pages(fresh), 0);
    printf("fork_wait: status written to a fresh zero-fill page\n");
}

static void check_no_children(void)
{
    int status = 1234;
    unsigned start = get_ticks();

    CHECK_INT(wait(&status), E_CHILD);
    CHECK_INT(wait(NULL), E_CHILD);
    CHECK_ERROR(wait((int *)KERNEL_ADDRESS));  /* -3 or -7: both are right */
    CHECK_INT(status, 1234);            /* nothing written */
    CHECK(get_ticks() - start < QUICK_TICKS);
    printf("fork_wait: no children: wait fails at once\n");
}

int main(void)
{
    test_start("fork_wait");
    check_no_children();
    check_statuses();
    check_tids();
    check_wait_null();
    check_bad_pointers();
    check_fresh_page();
    check_no_children();
    return test_finish();
}
