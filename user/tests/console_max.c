/*
 * console_max - at most 8 consoles exist, console 1 included (doc/syscalls.md 10). Children each
 * take a console with new_console and keep it; 7 succeed, and with all 8 in use the next
 * child's new_console fails, as does the parent's (which stays on console 1). A console
 * whose last task has ended is free again: a second round after the children have exited
 * gets the same 7. (init checks afterwards that no frames leaked.)
 */
#include "testlib.h"
#include "keyin.h"

#define CONSOLES    8                   /* console 1 and 7 more */
#define CHILDREN    CONSOLES            /* one more than there are free consoles */
#define SETTLE      5                   /* ticks for a child to take its console and park */
#define REFUSED     2                   /* a child's status when new_console failed */

static int zero;

/* A child: takes a console and keeps it until the parent wakes it; status 0, or REFUSED. */
static void child(int round)
{
    int r = new_console();

    if (r < 0) {
        printf("console_max: round %d: new_console refused: %d\n", round, r);
        exit(REFUSED);
    }
    deschedule(&zero);                          /* holding the console */
    exit(0);
}

static void one_round(int round)
{
    int tids[CHILDREN], status = -1, tid, refused = 0;

    for (int i = 0; i < CHILDREN; i++) {
        tids[i] = fork();
        if (tids[i] == 0)
            child(round);
        CHECK(tids[i] > 0);
        sleep(SETTLE);                          /* keeps the children in order */
    }
    CHECK(new_console() < 0);                   /* all 8 in use: the parent is refused too */
    tid = wait(&status);                        /* the refused child; the others are parked */
    CHECK(tid == tids[CHILDREN - 1]);
    CHECK_INT(status, REFUSED);
    for (int i = 0; i < CHILDREN - 1; i++)
        while (make_runnable(tids[i]) < 0)      /* until it has parked */
            yield(-1);
    for (int i = 0; i < CHILDREN - 1; i++) {
        CHECK(wait(&status) > 0);
        refused += status == REFUSED;
        CHECK(status == 0 || status == REFUSED);
    }
    CHECK_INT(refused, 0);
    printf("console_max: round %d: 7 consoles made, the 8th refused\n", round);
}

int main(void)
{
    test_start("console_max");
    one_round(1);
    one_round(2);                               /* the consoles of round 1 are free again */
    printf("console_max: still on console 1\n");
    return test_finish();
}
