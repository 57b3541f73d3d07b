/*
 * getchar_serial - bytes sent to COM1 reach getchar and readline like keys (doc/syscalls.md
 * 11): as sent, except that a terminal's arrow keys (ESC [ A..D) become KEY_UP, KEY_DOWN,
 * KEY_RIGHT, KEY_LEFT, an ESC before anything but '[' stays an ESC, an unknown ESC [ sequence
 * is dropped, '\r' becomes '\n' (a '\n' right after it is dropped: one Enter, not two), and
 * DEL (0x7F) becomes backspace. A line sent on COM1 is echoed by readline like a typed one.
 */
#include "testlib.h"
#include "keyin.h"

/* What the first serial: line of the .t file sends, as getchar must see it. */
static const int bytes[] = {
    'a', 'B', '\n', KEY_UP, KEY_DOWN, KEY_RIGHT, KEY_LEFT, '\b', '\t',
    KEY_ESC, 'x', 'q', '!', '\n', 'c', '\n', 'd', '\n', 'e', '\b', '\n',
};

int main(void)
{
    test_start("getchar_serial");

    printf("getchar_serial: send bytes\n");
    for (unsigned int i = 0; i < sizeof bytes / sizeof bytes[0]; i++)
        CHECK_GETCHAR(bytes[i]);
    printf("getchar_serial: send a line\n");
    CHECK_READ(100, "typed on COM1\n");
    return test_finish();
}
