/*
 * guest_console - every console hypercall, on the guest's own console (doc/syscalls.md 16, 7, 12).
 *
 * hv_print (plain, 0 bytes, the 410-byte maximum), hv_cons_set_term_color,
 * hv_cons_set_cursor_pos and hv_cons_get_cursor_pos (the cursor after text is further along
 * the row, after a newline at column 0 of the next row, after \r at column 0 of the same),
 * and hv_print_at, which must leave the cursor and the colour alone. The screen itself is
 * checked by tests/cases/guest_console.t: it takes a screenshot while the guest waits for a
 * key, and looks for the positioned texts (the guest clears rows 20 to 23 first, and marks
 * column 0 or neighbouring columns, so that a substring of a row pins each text's column).
 */
#include "guest.h"

static volatile int key_seen;

static void cursor(int *row, int *col)
{
    hv_cons_get_cursor_pos(row, col);
}

static void on_key(struct trap_frame *f)
{
    if (f->error & KEY_PRESS)
        key_seen = 1;
}

/* 410 bytes: ten lines of 40 characters and a newline. */
static void long_print(void)
{
    char buf[410];

    for (int i = 0; i < 10; i++) {
        char *line = buf + 41 * i;
        int n = snprintf(line, 41, "guest_console: long print line %d", i);
        memset(line + n, '.', 40 - n);
        line[40] = '\n';
    }
    hv_print(sizeof buf, buf);
}

int main(void)
{
    char blank[80];
    int row, col, row2, col2;

    guest_name = "guest_console";
    printf("guest_console: start\n");
    cursor(&row, &col);
    CHECK_EQ(col, 0);
    CHECK(row >= 1 && row <= 24);

    hv_print(3, "abc");
    cursor(&row2, &col2);
    CHECK_EQ(row2, row);
    CHECK_EQ(col2, 3);
    hv_print(0, "not printed");
    cursor(&row2, &col2);
    CHECK_EQ(col2, 3);
    hv_print(2, "\rd");                         /* \r: back to column 0 */
    cursor(&row2, &col2);
    CHECK_EQ(col2, 1);
    hv_print(1, "\n");
    cursor(&row2, &col2);
    CHECK_EQ(col2, 0);
    CHECK(row2 == row + 1 || (row == 24 && row2 == 24));

    /* Positioned output on rows cleared first. */
    memset(blank, ' ', sizeof blank);
    for (int r = 20; r < 24; r++)
        hv_print_at(80, blank, r, 0, 0x07);
    hv_cons_set_cursor_pos(20, 5);
    cursor(&row, &col);
    CHECK_EQ(row, 20);
    CHECK_EQ(col, 5);
    hv_print(16, "cursor-at-20-5\nX");          /* after \n: column 0 of row 21, then 'X' */
    cursor(&row, &col);
    CHECK_EQ(row, 21);
    CHECK_EQ(col, 1);

    trap_install(SLOT_TIMER, NULL, 1);          /* ticks come once interrupts are on */
    hv_cons_set_term_color(0x1E);               /* yellow on blue */
    hv_print(12, "-yellow-blue");
    cursor(&row, &col);
    hv_print_at(1, "[", 22, 0, 0x07);
    hv_print_at(13, "print_at-22-9", 22, 9, 0x4F);
    cursor(&row2, &col2);
    CHECK_EQ(row2, row);                        /* print_at moves no cursor */
    CHECK_EQ(col2, col);
    hv_print(13, "-still-yellow");              /* in the colour set before (see the PNG) */
    hv_cons_set_term_color(0x07);
    hv_print_at(5, "23-70", 23, 70, 0x2F);
    hv_print_at(5, "23-75", 23, 75, 0x2F);      /* the last columns of a row */
    cursor(&row2, &col2);
    CHECK_EQ(row2, 21);
    CHECK_EQ(col2, 1 + 12 + 13);

    hv_cons_set_cursor_pos(24, 0);
    cursor(&row, &col);
    CHECK_EQ(row, 24);
    CHECK_EQ(col, 0);
    hv_print(1, "\n");                          /* scrolls: the cursor stays on row 24 */
    cursor(&row, &col);
    CHECK_EQ(row, 24);
    CHECK_EQ(col, 0);

    long_print();
    cursor(&row, &col);
    CHECK_EQ(col, 0);

    /* Wait for a key, so that the screenshot is taken of this screen. */
    trap_install(SLOT_KEYBOARD, on_key, 1);
    hv_enable_interrupts();
    printf("guest_console: waiting for a key\n");
    while (!key_seen)
        ;
    hv_disable_interrupts();
    return guest_finish();
}
