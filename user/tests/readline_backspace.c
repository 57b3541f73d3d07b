/*
 * readline_backspace - backspace edits the line readline reads (doc/syscalls.md 11): it removes
 * the last character and echoes "\b"; on an empty line it does nothing and echoes nothing;
 * it can erase a whole line and start again; a line may end up empty (just "\n").
 * The .t file checks the echo in the debug log, byte for byte.
 */
#include "testlib.h"
#include "keyin.h"

int main(void)
{
    test_start("readline_backspace");

    printf("readline_backspace: type 1\n");
    CHECK_READ(100, "hello\n");                 /* \b\bhx\bello\n typed */
    printf("readline_backspace: type 2\n");
    CHECK_READ(100, "c\n");                     /* ab\b\b\bc\n typed */
    printf("readline_backspace: type 3\n");
    CHECK_READ(100, "\n");                      /* xy\b\b\n typed */
    printf("readline_backspace: type 4\n");
    CHECK_READ(3, "abc");                       /* abcd\bef\n typed, read in pieces */
    CHECK_READ(100, "ef\n");
    return test_finish();
}
