/*
 * readline_mixed - readline and getchar callers of one console share one queue and one input
 * stream (doc/syscalls.md 11). Six threads start in turn, so they queue in this order:
 *
 *   readline(2)  "on"     the first line is "one\n": the rest of it goes to the next readers,
 *   getchar      'e'      one character at a time,
 *   getchar      '\n'
 *   readline     "two\n"  a whole line, echoed,
 *   getchar      'x'      not echoed: the log shows "yz", never "xyz",
 *   readline     "yz\n"   the line after getchar took its first character.
 */
#include "testlib.h"
#include "keyin.h"
#include <thread_spawn.h>

#define STACK_SIZE  (16 * 1024)
#define SETTLE      10                  /* ticks for a reader to get into its call */
#define GETCHAR     0                   /* a reader's len: getchar instead of readline */

struct reader {
    int len;                            /* readline's len, or GETCHAR */
    const char *want;
    char buf[64];
    int n;                              /* what the call returned (bytes, or an error) */
};

static struct reader readers[] = {
    { 2, "on", "", 0 }, { GETCHAR, "e", "", 0 }, { GETCHAR, "\n", "", 0 },
    { 100, "two\n", "", 0 }, { GETCHAR, "x", "", 0 }, { 100, "yz\n", "", 0 },
};
#define READERS ((int)(sizeof readers / sizeof readers[0]))
static char stacks[READERS][STACK_SIZE] __attribute__((aligned(16)));

static void reader_thread(void *arg)
{
    struct reader *r = arg;
    int c;

    if (r->len != GETCHAR) {
        r->n = readline(r->len, r->buf);
        return;
    }
    c = getchar();
    r->buf[0] = (char)c;
    r->n = c < 0 ? c : 1;
}

int main(void)
{
    int tids[READERS];

    test_start("readline_mixed");
    for (int i = 0; i < READERS; i++) {
        tids[i] = thread_spawn(stacks[i] + STACK_SIZE, reader_thread, &readers[i]);
        CHECK(tids[i] > 0);
        sleep(SETTLE);
    }
    printf("readline_mixed: six readers wait, type\n");
    for (int i = 0; i < READERS; i++) {
        thread_gone(tids[i]);
        keyin_compare(readers[i].len == GETCHAR ? "getchar" : "readline", readers[i].buf,
                      readers[i].n, readers[i].want, __LINE__);
    }
    return test_finish();
}
