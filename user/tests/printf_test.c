/*
 * printf_test - the printf family, checked on snprintf's output, plus a few
 * lines through printf itself for the .t file to match.
 */
#include <stdio.h>
#include <string.h>
#include "testlib.h"

static char out[256];

/* snprintf into out, and compare with want. */
#define EXPECT(want, ...) do {                                          \
        snprintf(out, sizeof out, __VA_ARGS__);                         \
        test_check_str(out, want, #__VA_ARGS__, __LINE__);              \
    } while (0)

static void check_integers(void)
{
    EXPECT("42 -7 0", "%d %i %d", 42, -7, 0);
    EXPECT("-2147483648 2147483647", "%d %d", (int)0x80000000, 0x7fffffff);
    EXPECT("4294967295 0", "%u %u", 0xffffffffu, 0u);
    EXPECT("ff FF deadbeef 0", "%x %X %x %x", 255, 255, 0xdeadbeefu, 0);
    EXPECT("17", "%o", 15);
    EXPECT("12 -5 9", "%ld %li %lu", 12L, -5L, 9UL);
    EXPECT("8", "%zu", sizeof(long long));
}

static void check_width_and_flags(void)
{
    EXPECT("[   42]", "[%5d]", 42);
    EXPECT("[42   ]", "[%-5d]", 42);
    EXPECT("[00042]", "[%05d]", 42);
    EXPECT("[-0042]", "[%05d]", -42);
    EXPECT("[  -42]", "[%5d]", -42);
    EXPECT("[+42] [ 42] [-42]", "[%+d] [% d] [%+d]", 42, 42, -42);
    EXPECT("[0x1f] [0X1F] [0]", "[%#x] [%#X] [%#x]", 31, 31, 0);
    EXPECT("[000000ff]", "[%08x]", 255);
    EXPECT("[   7]", "[%*d]", 4, 7);
    EXPECT("[7   ]", "[%*d]", -4, 7);
    EXPECT("[42]", "[%1d]", 42);            /* width is a minimum */
}

/* Formats gcc would (rightly) warn about, kept out of its sight in variables. */
static const char *zero_flag_with_precision = "[%05.0d]";
static char *volatile null_string = NULL;

static void check_precision(void)
{
    EXPECT("[00042]", "[%.5d]", 42);
    EXPECT("[  00042]", "[%7.5d]", 42);
    EXPECT("[   42]", zero_flag_with_precision, 42);  /* a precision turns '0' off */
    EXPECT("[]", "[%.0d]", 0);
    EXPECT("[-007]", "[%.3d]", -7);
    EXPECT("[hel]", "[%.3s]", "hello");
    EXPECT("[  hel]", "[%5.3s]", "hello");
    EXPECT("[he]", "[%.*s]", 2, "hello");
}

static void check_text(void)
{
    char unterminated[3] = { 'a', 'b', 'c' };

    EXPECT("hello world", "%s %s", "hello", "world");
    EXPECT("[  abc] [abc  ]", "[%5s] [%-5s]", "abc", "abc");
    EXPECT("(null)", "%s", null_string);
    EXPECT("x y", "%c %c", 'x', 'y');
    EXPECT("[  z] [z  ]", "[%3c] [%-3c]", 'z', 'z');
    EXPECT("100%", "100%%");
    EXPECT("ab", "%.2s", unterminated);     /* must not read past 2 */
    EXPECT("0x01000000 0x00000000", "%p %p", (void *)0x01000000, (void *)0);
}

static void check_truncation(void)
{
    char small[6];

    memset(small, 'X', sizeof small);
    CHECK_INT(snprintf(small, sizeof small, "%s", "truncated"), 9);
    CHECK_STR(small, "trunc");
    CHECK_INT(snprintf(NULL, 0, "%d", 12345), 5);
    memset(small, 'X', sizeof small);
    CHECK_INT(snprintf(small, 1, "abc"), 3);
    CHECK(small[0] == '\0' && small[1] == 'X');
    CHECK_INT(sprintf(out, "%d-%s", 7, "up"), 4);
    CHECK_STR(out, "7-up");
}

/* A long printf goes out whole; its length is still counted. */
static void check_console(void)
{
    static char line[1500];

    memset(line, '=', sizeof line - 1);
    CHECK_INT(printf("printf_test: %d %x %s %c %%\n", -42, 0xbeef, "text", '!'),
              (int)strlen("printf_test: -42 beef text ! %\n"));
    CHECK_INT(printf("printf_test: [%6d|%-6d|%06d]\n", 12, 12, 12),
              (int)strlen("printf_test: [    12|12    |000012]\n"));
    CHECK_INT(printf("%s\n", line), 1500);  /* more than one 1 KiB buffer */
    CHECK_INT(puts("printf_test: puts line"), 0);
    CHECK_INT(putchar('\n'), '\n');
}

int main(void)
{
    test_start("printf_test");
    check_integers();
    check_width_and_flags();
    check_precision();
    check_text();
    check_truncation();
    check_console();
    return test_finish();
}
