/*
 * readline_queue - readers of one console queue first come, first served (doc/syscalls.md
 * 11): each typed line goes to the reader that asked first, whether the readers are tasks or
 * threads.
 *
 * Round 1, tasks: two children start readline one after the other, then the parent; three
 * lines typed at once go to child 1, child 2, the parent. Round 2, threads: three threads
 * start readline one after the other and get the next three lines in the same order.
 * A pause between starts lets each reader reach readline before the next one begins.
 */
#include "testlib.h"
#include "keyin.h"
#include <thread_spawn.h>

#define READERS     3
#define STACK_SIZE  (16 * 1024)
#define SETTLE      10                  /* ticks for a reader to get into readline */

static const char *const task_lines[READERS] = { "one\n", "two\n", "three\n" };
static const char *const thread_lines[READERS] = { "red\n", "green\n", "blue\n" };

/* A child task: reads one line, exits 0 if it was the expected one (it says if not). */
static void child_reader(int i)
{
    char buf[64];
    int n = readline(sizeof buf, buf);

    exit(keyin_compare("a child's readline", buf, n, task_lines[i], __LINE__) ? 0 : 1);
}

static void round_of_tasks(void)
{
    int tids[READERS - 1], status;

    for (int i = 0; i < READERS - 1; i++) {
        tids[i] = fork();
        if (tids[i] == 0)
            child_reader(i);
        CHECK(tids[i] > 0);
        sleep(SETTLE);
    }
    printf("readline_queue: three tasks read, type three lines\n");
    CHECK_READ(100, task_lines[READERS - 1]);   /* the parent came last */
    for (int i = 0; i < READERS - 1; i++) {
        CHECK_INT(wait(&status) > 0, 1);
        CHECK_INT(status, 0);
    }
}

struct reader {
    char buf[64];
    int n;
};
static struct reader readers[READERS];
static char stacks[READERS][STACK_SIZE] __attribute__((aligned(16)));

static void thread_reader(void *arg)
{
    struct reader *r = arg;

    r->n = readline(sizeof r->buf, r->buf);
}

static void round_of_threads(void)
{
    int tids[READERS];

    for (int i = 0; i < READERS; i++) {
        tids[i] = thread_spawn(stacks[i] + STACK_SIZE, thread_reader, &readers[i]);
        CHECK(tids[i] > 0);
        sleep(SETTLE);
    }
    printf("readline_queue: three threads read, type three lines\n");
    for (int i = 0; i < READERS; i++) {
        thread_gone(tids[i]);
        keyin_compare("a thread's readline", readers[i].buf, readers[i].n, thread_lines[i],
                      __LINE__);
    }
}

int main(void)
{
    test_start("readline_queue");
    round_of_tasks();
    round_of_threads();
    return test_finish();
}
