/*
 * readline_typeahead - lines typed before anyone reads wait in the console's input ring, and
 * later readline calls get all of them, in order, each echoed when a readline takes it
 * (doc/syscalls.md 11). A line begun ahead and finished while a readline waits comes out whole.
 *
 * The harness types three lines and the start of a fourth on console 1 while this task sits
 * in wait() for its gate child (keyin.h) on console 2.
 */
#include "testlib.h"
#include "keyin.h"

int main(void)
{
    test_start("readline_typeahead");
    if (gate_wait() == 0) {
        printf("readline_typeahead: reading 1\n");
        CHECK_READ(100, "first line\n");
        printf("readline_typeahead: reading 2\n");
        CHECK_READ(100, "Second Line!\n");
        printf("readline_typeahead: reading 3\n");
        CHECK_READ(4, "3rd ");                  /* a line typed ahead, in pieces too */
        CHECK_READ(100, "line\n");
        printf("readline_typeahead: reading 4\n");
        CHECK_READ(100, "fourth and last\n");
    }
    return test_finish();
}
