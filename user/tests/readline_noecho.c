/*
 * readline_noecho - characters typed while nobody reads are not echoed then: echo happens
 * while, and only while, a readline waits (doc/syscalls.md 11). A readline that starts later takes
 * them and echoes them then, before the rest of the line typed after it started.
 *
 * The harness types "hello" on console 1 while this task sits in wait() for its gate child
 * (keyin.h), which then reads "go" on console 2. An echo at typing time would put "hello"
 * into the log just before the child's echo of "go": the .t file rejects "hellogo".
 */
#include "testlib.h"
#include "keyin.h"

int main(void)
{
    test_start("readline_noecho");
    if (gate_wait() == 0) {
        printf("readline_noecho: reading now\n");
        CHECK_READ(100, "hello world\n");
    }
    return test_finish();
}
