/*
 * print_test - print(): normal output, the control characters, and every
 * kind of bad argument, which must return an error while the program runs on.
 *
 * The longest print (doc/syscalls.md 7: 65536 bytes) works and shows every byte: 256
 * numbered lines of 256 bytes (text, spaces, a newline), whose first, middle and last lines
 * the case expects in the log. One byte more is E_INVAL and prints nothing (its lines say
 * FAILED, and the cursor must not move). Why: an off-by-one in the limit either refuses the
 * documented maximum or lets a longer text through.
 */
#include <stdio.h>
#include <string.h>
#include <syscall.h>
#include "testlib.h"

#define E_INVAL         (-2)
#define PRINT_MAX       65536               /* the longest print, doc/syscalls.md 7 */
#define MAX_LINES       256
#define MAX_LINE        (PRINT_MAX / MAX_LINES) /* bytes per line, its newline included */

static char max_buf[PRINT_MAX + 1];

static int say(char *s)
{
    return print((int)strlen(s), s);
}

/* \r and \b, checked through the cursor when get_cursor_pos() works. */
static void check_control_characters(void)
{
    int row, col, row2;
    int have_cursor = get_cursor_pos(&row, &col) == 0;

    CHECK_INT(say("print_test: carriage return\r"), 0);
    if (have_cursor && CHECK(get_cursor_pos(&row, &col) == 0))
        CHECK_INT(col, 0);
    CHECK_INT(say("\b"), 0);                    /* at column 0: stays there */
    if (have_cursor && CHECK(get_cursor_pos(&row2, &col) == 0)) {
        CHECK_INT(col, 0);
        CHECK_INT(row2, row);
    }
    CHECK_INT(say("print_test: backspace xy\b\b"), 0);
    if (have_cursor && CHECK(get_cursor_pos(&row, &col) == 0))
        CHECK_INT(col, (int)strlen("print_test: backspace "));
    CHECK_INT(say("\n"), 0);
    if (have_cursor && CHECK(get_cursor_pos(&row, &col) == 0))
        CHECK_INT(col, 0);
    if (!have_cursor)
        printf("print_test: get_cursor_pos unavailable, cursor checks skipped\n");
}

/* Lengths print() must refuse. buf itself is fine for a few bytes. */
static void check_bad_lengths(void)
{
    char buf[16] = "0123456789abcde";

    CHECK_ERROR(print(-1, buf));
    CHECK_ERROR(print(-0x7fffffff, buf));
    CHECK_ERROR(print(16 * 1024 * 1024, buf));  /* over any maximum */
    CHECK_ERROR(print(0x7fffffff, buf));
}

/* Buffers print() cannot read. */
static void check_bad_buffers(void)
{
    char *unmapped = test_unmapped_page();

    CHECK_ERROR(print(10, NULL));
    CHECK_ERROR(print(10, WILD_ADDRESS));
    CHECK_ERROR(print(10, KERNEL_ADDRESS));
    CHECK_ERROR(print(1, (char *)0x00ffffff));  /* last kernel byte */
    CHECK_ERROR(print(2, (char *)0x00ffffff));  /* straddles kernel and user */
    CHECK_ERROR(print(16, unmapped - 8));       /* runs into an unmapped page */
    CHECK_ERROR(print(1, unmapped));
}

/* Fills max_buf with MAX_LINES lines of MAX_LINE bytes: "print_test: WHAT line N of M",
 * spaces, '\n' (the log ignores trailing spaces, so each line reads as its text alone). */
static void fill_lines(const char *what)
{
    char text[MAX_LINE];
    int i, n;

    for (i = 0; i < MAX_LINES; i++) {
        char *line = max_buf + i * MAX_LINE;
        n = snprintf(text, sizeof text, "print_test: %s line %03d of %d", what, i + 1,
                     MAX_LINES);
        memset(line, ' ', MAX_LINE - 1);
        memcpy(line, text, (size_t)n);
        line[MAX_LINE - 1] = '\n';
    }
}

/* print of exactly PRINT_MAX bytes succeeds; one byte more fails and draws nothing. */
static void check_maximum(void)
{
    int row, col, row2 = -1, col2 = -1;

    fill_lines("maximum print,");
    CHECK_INT(print(PRINT_MAX, max_buf), 0);
    CHECK_INT(get_cursor_pos(&row, &col), 0);
    CHECK(row == 24 && col == 0);       /* after 1024 rows: on the last row, scrolled */
    say("print_test: after the maximum print\n");

    fill_lines("FAILED: printed one byte over the maximum,");
    max_buf[PRINT_MAX] = '\n';
    say("print_test: one byte more: ");    /* mid-row: drawn lines would end at column 0 */
    CHECK_INT(get_cursor_pos(&row, &col), 0);
    CHECK_INT(print(PRINT_MAX + 1, max_buf), E_INVAL);
    CHECK_INT(get_cursor_pos(&row2, &col2), 0);
    CHECK(row2 == row && col2 == col);  /* nothing drawn */
    say("refused\n");
}

int main(void)
{
    test_start("print_test");
    CHECK_INT(print(0, ""), 0);
    CHECK_INT(say("print_test: normal text\n"), 0);
    check_control_characters();
    check_bad_lengths();
    check_bad_buffers();
    check_maximum();
    CHECK_INT(say("print_test: still running after the errors\n"), 0);
    return test_finish();
}
