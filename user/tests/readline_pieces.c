/*
 * readline_pieces - a line longer than readline's len comes out in pieces (doc/syscalls.md
 * 7): each call returns at most len bytes, and the next calls get the rest of the same line
 * at once, without new typing, down to a piece that is only its '\n'. A line exactly len
 * long fits in one call; after the last piece the next call starts a new line.
 */
#include "testlib.h"
#include "keyin.h"

int main(void)
{
    test_start("readline_pieces");

    printf("readline_pieces: type a long line\n");
    CHECK_READ(5, "abcde");                     /* abcdefghijkl\n typed */
    CHECK_READ(5, "fghij");
    CHECK_READ(1, "k");
    CHECK_READ(5, "l\n");

    printf("readline_pieces: type a line of four\n");
    CHECK_READ(4, "wxyz");                      /* wxyz\n typed */
    CHECK_READ(4, "\n");                        /* the rest is only the newline */

    printf("readline_pieces: type a line of five\n");
    CHECK_READ(5, "1234\n");                    /* 1234\n typed: exactly len */

    printf("readline_pieces: type two lines\n");
    CHECK_READ(100, "one\n");                   /* one\ntwo\n typed: a piece never */
    CHECK_READ(100, "two\n");                   /* runs into the next line */
    return test_finish();
}
