/*
 * print_test - print(): normal output, the control characters, and every
 * kind of bad argument, which must return an error while the program runs on.
 */
#include <stdio.h>
#include <string.h>
#include <syscall.h>
#include "testlib.h"

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

int main(void)
{
    test_start("print_test");
    CHECK_INT(print(0, ""), 0);
    CHECK_INT(say("print_test: normal text\n"), 0);
    check_control_characters();
    check_bad_lengths();
    check_bad_buffers();
    CHECK_INT(say("print_test: still running after the errors\n"), 0);
    return test_finish();
}
