/*
 * libc_test - the parts of the user library that need no kernel beyond
 * print: strings, memory, ctype, strtol and friends, sscanf, qsort, rand.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include "testlib.h"

static void check_strings(void)
{
    char buf[32];

    CHECK_INT((int)strlen(""), 0);
    CHECK_INT((int)strlen("abc"), 3);
    CHECK_INT((int)strnlen("abcdef", 4), 4);
    CHECK(strcmp("abc", "abc") == 0 && strcmp("abc", "abd") < 0 && strcmp("b", "a") > 0);
    CHECK(strcmp("ab", "abc") < 0 && strcmp("\xff", "a") > 0);  /* unsigned bytes */
    CHECK(strncmp("abcX", "abcY", 3) == 0 && strncmp("abcX", "abcY", 4) < 0);
    CHECK_STR(strcpy(buf, "copy"), "copy");
    CHECK_STR(strcat(buf, "+cat"), "copy+cat");
    CHECK_STR(strncat(buf, "12345", 2), "copy+cat12");
    memset(buf, 'X', sizeof buf);
    strncpy(buf, "ab", 5);
    CHECK(memcmp(buf, "ab\0\0\0X", 6) == 0);    /* NUL padding, then untouched */
    strcpy(buf, "hello");
    CHECK(strchr(buf, 'l') == buf + 2 && strrchr(buf, 'l') == buf + 3);
    CHECK(strchr(buf, 'z') == NULL && strchr(buf, '\0') == buf + 5);
    CHECK(strstr(buf, "llo") == buf + 2 && strstr(buf, "") == buf);
    CHECK(strstr(buf, "lol") == NULL);
}

static void check_memory(void)
{
    char buf[16] = "0123456789";

    memmove(buf + 2, buf, 5);                   /* overlapping, forwards */
    CHECK(memcmp(buf, "0101234789", 10) == 0);
    memmove(buf, buf + 2, 5);                   /* overlapping, backwards */
    CHECK(memcmp(buf, "0123434789", 10) == 0);
    CHECK(memset(buf, 'z', 3) == buf && memcmp(buf, "zzz", 3) == 0);
    CHECK(memcmp("ab\x80", "ab\x01", 3) > 0);
    CHECK(memchr(buf, '4', 10) == buf + 4 && memchr(buf, 'q', 10) == NULL);
    CHECK(memcpy(buf, "xy", 2) == buf && buf[0] == 'x' && buf[1] == 'y');
}

static void check_ctype(void)
{
    CHECK(isdigit('0') && isdigit('9') && !isdigit('a'));
    CHECK(isxdigit('f') && isxdigit('F') && !isxdigit('g'));
    CHECK(isspace(' ') && isspace('\t') && isspace('\n') && !isspace('x'));
    CHECK(isalpha('q') && isalpha('Q') && !isalpha('1'));
    CHECK(isalnum('q') && isalnum('1') && !isalnum('-'));
    CHECK(isupper('A') && !isupper('a') && islower('a') && !islower('A'));
    CHECK(isprint(' ') && isprint('~') && !isprint('\n') && !isprint(127));
    CHECK(toupper('a') == 'A' && toupper('1') == '1');
    CHECK(tolower('A') == 'a' && tolower('z') == 'z');
}

static void check_numbers(void)
{
    char *end;

    CHECK_INT(atoi("  -123xyz"), -123);
    CHECK_INT(atoi("+7"), 7);
    CHECK_INT((int)strtol("0x1F", &end, 0), 31);
    CHECK(*end == '\0');
    CHECK_INT((int)strtol("0755", NULL, 0), 0755);
    CHECK_INT((int)strtol("ff", NULL, 16), 255);
    CHECK_INT((int)strtol("0x", &end, 16), 0);   /* "0", then 'x' is not a digit */
    CHECK_STR(end, "x");
    CHECK_INT((int)strtol("zz", &end, 10), 0);
    CHECK_STR(end, "zz");
    CHECK(strtol("99999999999", NULL, 10) == 0x7fffffffL);
    CHECK(strtol("-99999999999", NULL, 10) == -0x7fffffffL - 1);
    CHECK(strtol("-2147483648", NULL, 10) == -0x7fffffffL - 1);
    CHECK(strtoul("4294967295", NULL, 10) == 0xffffffffUL);
    CHECK(strtoul("4294967296", NULL, 10) == 0xffffffffUL);
    CHECK(strtoul("-1", NULL, 10) == 0xffffffffUL);
    CHECK(strtoul("DeadBeef", NULL, 16) == 0xdeadbeefUL);
    CHECK_INT(abs(-5), 5);
    CHECK(labs(-5L) == 5L);
}

static void check_sscanf(void)
{
    int d = 0, i = 0;
    unsigned int u = 0, x = 0;
    char word[16] = "", c[3] = "";

    CHECK_INT(sscanf(" -12 34 ff word xy", "%d %u %x %15s %2c", &d, &u, &x, word, c), 5);
    CHECK(d == -12 && u == 34 && x == 0xff);
    CHECK_STR(word, "word");
    CHECK(c[0] == 'x' && c[1] == 'y');
    CHECK_INT(sscanf("a=5,b=0x10", "a=%d,b=%i", &d, &i), 2);
    CHECK(d == 5 && i == 16);
    CHECK_INT(sscanf("12345", "%2d%d", &d, &i), 2);
    CHECK(d == 12 && i == 345);
    CHECK_INT(sscanf("7 8", "%*d %d", &d), 1);
    CHECK_INT(d, 8);
    CHECK_INT(sscanf("x", "%d", &d), 0);        /* no number */
    CHECK_INT(sscanf("", "%d", &d), EOF);
    CHECK_INT(sscanf("100%", "%d%%", &d), 1);
}

static int compare_ints(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;

    return (x > y) - (x < y);
}

static void check_qsort_and_rand(void)
{
    int values[200];
    int i, sorted = 1, in_range = 1, first;

    srand(1);
    first = rand();
    for (i = 0; i < 200; i++) {
        values[i] = rand() % 1000 - 500;
        in_range &= values[i] >= -500 && values[i] < 500;
    }
    CHECK(in_range);
    srand(1);
    CHECK_INT(rand(), first);                   /* the same seed, the same sequence */
    qsort(values, 200, sizeof values[0], compare_ints);
    for (i = 1; i < 200; i++)
        sorted &= values[i - 1] <= values[i];
    CHECK(sorted);
    qsort(values, 0, sizeof values[0], compare_ints);   /* nothing to do */
}

int main(void)
{
    test_start("libc_test");
    check_strings();
    check_memory();
    check_ctype();
    check_numbers();
    check_sscanf();
    check_qsort_and_rand();
    return test_finish();
}
