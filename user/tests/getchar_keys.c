/*
 * getchar_keys - getchar returns each key typed on the PS/2 keyboard as it comes, without
 * waiting for a line, without echo (doc/syscalls.md 11): plain and shifted characters, Ctrl+letter
 * as 1..26, the arrows as KEY_UP..KEY_RIGHT, Delete as 0x7F, Backspace, Tab, Esc and Enter.
 * The .t file rejects the echo the first keys would leave in the log.
 */
#include "testlib.h"
#include "keyin.h"

/* What the second type: line of the .t file types, key by key. */
static const int keys[] = {
    'a', 'A', '!', '~', KEY_CTRL('c'), KEY_CTRL('a'), KEY_CTRL('z'),
    KEY_UP, KEY_LEFT, KEY_DOWN, KEY_RIGHT, KEY_DELETE, '\b', '\t', KEY_ESC, ' ', '\n',
};

int main(void)
{
    test_start("getchar_keys");

    printf("getchar_keys: type one key\n");
    CHECK_GETCHAR('q');                         /* no Enter follows: getchar must not wait */
    printf("getchar_keys: got the key, type the rest\n");
    for (unsigned int i = 0; i < sizeof keys / sizeof keys[0]; i++)
        CHECK_GETCHAR(keys[i]);
    return test_finish();
}
