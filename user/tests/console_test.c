/*
 * console_test - set_term_color, set_cursor_pos, get_cursor_pos (doc/syscalls.md 7): their ranges,
 * bad pointers, and that the cursor follows the output.
 */
#include "testlib.h"

int main(void)
{
    int row = -1, col = -1, other = 12345;

    test_start("console_test");
    CHECK_INT(set_term_color(-1), -2);
    CHECK_INT(set_term_color(0x100), -2);
    CHECK_INT(set_term_color(FGND_YLLW | BGND_BLUE), 0);
    printf("console_test: a yellow-on-blue line\n");
    CHECK_INT(set_term_color(FGND_LGRAY | BGND_BLACK), 0);

    CHECK_INT(set_cursor_pos(-1, 0), -2);
    CHECK_INT(set_cursor_pos(25, 0), -2);
    CHECK_INT(set_cursor_pos(0, 80), -2);
    CHECK_INT(set_cursor_pos(0, -1), -2);
    CHECK_INT(set_cursor_pos(24, 79), 0);
    CHECK_INT(get_cursor_pos(&row, &col), 0);
    CHECK(row == 24 && col == 79);
    CHECK_INT(set_cursor_pos(10, 5), 0);
    print(3, "abc");
    CHECK_INT(get_cursor_pos(&row, &col), 0);
    CHECK(row == 10 && col == 8);               /* the cursor follows the output */

    CHECK(get_cursor_pos(NULL, &other) < 0);
    CHECK(get_cursor_pos((int *)0x100000, &other) < 0);     /* kernel memory */
    CHECK(get_cursor_pos((int *)main, &other) < 0);         /* read-only text */
    CHECK(get_cursor_pos(&row, (int *)0xdead0000) < 0);     /* unmapped */
    CHECK(other == 12345);                      /* nothing written when either is bad */
    CHECK(get_cursor_pos((int *)0xdead0000, (int *)0xdead0004) < 0);

    CHECK_INT(set_cursor_pos(24, 0), 0);
    printf("\n");
    return test_finish();
}
