/*
 * console_scroll - scrolling and '\b' on the console (doc/syscalls.md 7), checked through
 * get_cursor_pos and on the screen itself.
 *
 *   - once the screen is full, a '\n' on the last row (24) scrolls: the cursor stays on
 *     row 24, column 0, and every row moves up one; so does a character written in the
 *     last cell (row 24, column 79), which wraps;
 *   - the row that scrolling brings in at the bottom is blank;
 *   - '\b' moves the cursor one column left and blanks that cell; at column 0 it does
 *     nothing (it never goes back onto the row above).
 *
 * The case takes a screenshot while the program waits for a key. To show on one row where
 * the scrolling put a text, the program later writes onto the row where that text must be
 * (set_cursor_pos), so that the two join into one line of the screen only if it is there:
 * "console_scroll: line 11" + " is on row 0", the bottom row's 79 cells + a "+" in column 79
 * of row 23. Erased cells are skipped the same way, so that they show as blanks between
 * visible characters.
 *
 * Why: the screen is what a person sees; a scroll that moves the text but not the cursor
 * (or the other way round), or a '\b' that leaves its character, shows only there.
 */
#include <stdio.h>
#include <string.h>
#include <syscall.h>
#include "testlib.h"

#define ROWS            25
#define COLS            80
#define LAST_ROW        (ROWS - 1)
#define FILL_LINES      30          /* more than a screen: the last ones scroll it */
#define LINE_TEXT       "console_scroll: line %02d"     /* a line of the filling */
#define LINE_LEN        23          /* its length, where " is on row N" goes */
#define SCROLLS_AFTER   4           /* rows that scroll after the filling (see main) */

static int say(const char *s)
{
    return print((int)strlen(s), (char *)s);
}

/* The cursor must be at row, col. */
static void check_cursor(int row, int col, int line)
{
    int r = -1, c = -1;

    get_cursor_pos(&r, &c);
    if (r != row || c != col) {
        printf("console_scroll: FAILED line %d: cursor at %d,%d, expected %d,%d\n", line, r,
               c, row, col);
        test_failures++;
    }
}

/* A text of COLS - 1 cells: `text`, then `fill` up to column 78 (the last column stays
 * free, so that printing it does not wrap). */
static void row_text(char *out, const char *text, char fill)
{
    size_t n = strlen(text);

    memcpy(out, text, n);
    memset(out + n, fill, COLS - 1 - n);
    out[COLS - 1] = '\0';
}

/* FILL_LINES numbered lines: each '\n' moves the cursor down a row until row 24, where it
 * stays. */
static void fill_screen(void)
{
    int start = -1, col, i;

    get_cursor_pos(&start, &col);
    if (col != 0)
        say("\n");
    get_cursor_pos(&start, &col);
    for (i = 1; i <= FILL_LINES; i++) {
        printf(LINE_TEXT "\n", i);
        check_cursor(start + i < LAST_ROW ? start + i : LAST_ROW, 0, __LINE__);
    }
}

/* '\b' twice after "[xyz": the cursor goes back two columns, and the "]" written two cells
 * further on shows the two erased cells as blanks: "[x  ]". */
static void check_erase(void)
{
    const char *text = "console_scroll: erase [xyz";

    say(text);
    say("\b\b");
    check_cursor(LAST_ROW, (int)strlen(text) - 2, __LINE__);
    set_cursor_pos(LAST_ROW, (int)strlen(text));
    say("]\n");
    check_cursor(LAST_ROW, 0, __LINE__);
}

/* A full row ending in "|" in the last cell: it wraps and scrolls. Then '\b' at column 0
 * of the next row stays there, leaving that "|" alone. */
static void check_column_zero(void)
{
    char row[COLS + 1];

    row_text(row, "console_scroll: a full row ", '=');
    strcat(row, "|");
    say(row);
    check_cursor(LAST_ROW, 0, __LINE__);
    say("XY\b\b\b\b");                  /* two erase X and Y; two more find column 0 */
    check_cursor(LAST_ROW, 0, __LINE__);
    say("console_scroll: backspace stops at column 0\n");
    check_cursor(LAST_ROW, 0, __LINE__);
}

/* A '\n' after text that fills row 24 to column 78: the row moves up to row 23, whose
 * column 79 a "+" then completes; the cursor wraps to row 24 without scrolling. */
static void check_newline_scroll(void)
{
    char row[COLS];

    row_text(row, "console_scroll: bottom row ", '-');
    say(row);
    check_cursor(LAST_ROW, COLS - 1, __LINE__);
    say("\n");
    check_cursor(LAST_ROW, 0, __LINE__);
    set_cursor_pos(LAST_ROW - 1, COLS - 1);
    say("+");
    check_cursor(LAST_ROW, 0, __LINE__);
}

/* Writes " is on row N" after the filling's line that must now be on row N. */
static void mark_row(int row)
{
    char text[32];

    set_cursor_pos(row, LINE_LEN);
    snprintf(text, sizeof text, " is on row %d", row);
    say(text);
}

int main(void)
{
    int top_line = FILL_LINES - (LAST_ROW - 1) + SCROLLS_AFTER;

    test_start("console_scroll");
    fill_screen();                      /* rows 0-23: lines 07-30, row 24 empty */
    check_erase();                      /* scrolls once */
    check_column_zero();                /* twice */
    check_newline_scroll();             /* once */
    mark_row(0);                        /* line top_line (11) */
    mark_row(FILL_LINES - top_line);    /* line 30 */
    set_cursor_pos(LAST_ROW, 0);
    say("console_scroll: waiting for a key");
    set_cursor_pos(LAST_ROW, COLS - 2); /* the cells between must be blank */
    say("|");
    getchar();
    say("\n");
    printf("console_scroll: line %02d was on row 0\n", top_line);
    return test_finish();
}
