/*
 * console_switch - virtual consoles (doc/syscalls.md 10), checked on the screen by screenshots:
 *
 *   new_console moves the whole calling task, every thread, to a new console in front;
 *   a task forked there starts on that console too;
 *   Alt+F1 and Alt+F2 bring console 1 and 2 to the front, and keys go to the one in front;
 *   output to a console in the background is kept and shown when it comes forward;
 *   when the last task of console 2 ends, the console goes and console 1 comes forward.
 *
 * The parent P stays on console 1; its child C takes console 2. Each step waits for input
 * that can only have reached the right console, so the screenshots never race a switch:
 * P reads "go" on console 1 (so console 1 is in front) before C writes in the background;
 * C reads "bye" on console 2 (so console 2 is in front again) before the screenshot of it.
 */
#include "testlib.h"
#include "keyin.h"
#include <thread_spawn.h>

#define STACK_SIZE  (16 * 1024)

static char thread_stack[STACK_SIZE] __attribute__((aligned(16)));
static int zero;

/* Blocks until someone calls make_runnable on this thread. */
static void park(void)
{
    deschedule(&zero);
}

/* Wakes a parked thread, waiting until it has parked. */
static void unpark(int tid)
{
    while (make_runnable(tid) < 0)
        yield(-1);
}

/* C's second thread: it exists when new_console moves the task, and writes afterwards. */
static void second_thread(void *unused)
{
    (void)unused;
    park();
    printf("console_switch: C's second thread writes on console 2\n");
}

/* C: a console of its own for both its threads, a grandchild there, then the steps above. */
static void child(void)
{
    int tid = thread_spawn(thread_stack + STACK_SIZE, second_thread, NULL), g, status;

    CHECK(tid > 0);
    CHECK_INT(new_console(), 0);
    unpark(tid);
    thread_gone(tid);
    g = fork();                                 /* one thread again: fork may */
    if (g == 0) {
        printf("console_switch: the grandchild writes on console 2\n");
        exit(0);
    }
    CHECK(g > 0 && wait(&status) == g);
    printf("console_switch: console 2 ready\n");
    park();                                     /* until P has read "go" on console 1 */
    printf("console_switch: written while in the background\n");
    CHECK_READ(100, "bye\n");
    printf("console_switch: console 2 read bye\n");
    CHECK_READ(100, "end\n");
    exit(test_failures ? 1 : 0);
}

int main(void)
{
    int c, status = -1;

    test_start("console_switch");
    printf("console_switch: P writes on console 1\n");
    c = fork();
    if (c == 0)
        child();
    CHECK(c > 0);
    CHECK_READ(100, "go\n");                    /* typed after Alt+F1 */
    unpark(c);
    CHECK(wait(&status) == c);
    CHECK_INT(status, 0);
    printf("console_switch: console 2 is gone\n");
    CHECK_READ(100, "done\n");                  /* after the last screenshot */
    return test_finish();
}
