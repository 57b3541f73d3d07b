/*
 * readfile_test - readfile(): whole files, offsets, the end of a file,
 * every kind of bad argument, the "." listing and case-sensitive long names.
 *
 * Needs these files of disk/ on the floppy, with exactly this content:
 *   hello.txt                                "Hello, file!\nThis is the second line.\n"
 *   a_file_with_a_rather_long_name_here.txt  "This file has a long name.\n"
 *   lines.txt    "line 0000\n" ... "line 0999\n" (10000 bytes, 20 sectors)
 */
#include <stdio.h>
#include <string.h>
#include <ctype.h>
#include <stdint.h>
#include <syscall.h>
#include "testlib.h"

#define HELLO_NAME  "hello.txt"
#define HELLO_TEXT  "Hello, file!\nThis is the second line.\n"
#define LONG_NAME   "a_file_with_a_rather_long_name_here.txt"
#define LONG_TEXT   "This file has a long name.\n"
#define LINES_NAME  "lines.txt"
#define LINES_SIZE  10000
#define CHUNK       512

static char buf[LINES_SIZE + CHUNK];
static char listing[16 * 1024];

int main(void);

/* Reads a whole small file; it must match text, with nothing written past it. */
static void check_whole_file(char *name, const char *text)
{
    int len = (int)strlen(text);

    memset(buf, '#', sizeof buf);
    CHECK_INT(readfile(name, buf, (int)sizeof buf, 0), len);
    CHECK(memcmp(buf, text, (size_t)len) == 0);
    CHECK(buf[len] == '#');
}

static void check_offsets(void)
{
    int size = (int)strlen(HELLO_TEXT);

    CHECK_INT(readfile(HELLO_NAME, buf, 5, 7), 5);
    CHECK(memcmp(buf, HELLO_TEXT + 7, 5) == 0);
    CHECK_INT(readfile(HELLO_NAME, buf, 100, size - 3), 3);    /* cut at the end */
    CHECK(memcmp(buf, HELLO_TEXT + size - 3, 3) == 0);
    CHECK_INT(readfile(HELLO_NAME, buf, 10, size), 0);         /* at the end */
    CHECK_INT(readfile(HELLO_NAME, buf, 0, 0), 0);
    CHECK_INT(readfile(HELLO_NAME, buf, 0, size), 0);
    CHECK_ERROR(readfile(HELLO_NAME, buf, 10, size + 1));      /* past the end */
    CHECK_ERROR(readfile(HELLO_NAME, buf, 10, 0x7fffffff));
    CHECK_ERROR(readfile(HELLO_NAME, buf, -1, 0));
    CHECK_ERROR(readfile(HELLO_NAME, buf, 10, -1));
}

/* Reads hello.txt 3 bytes at a time: the pieces must add up to the file. */
static void check_small_steps(void)
{
    char whole[64];
    int offset = 0, n;

    while (offset < 60 && (n = readfile(HELLO_NAME, whole + offset, 3, offset)) > 0)
        offset += n;
    CHECK_INT(offset, (int)strlen(HELLO_TEXT));
    CHECK(memcmp(whole, HELLO_TEXT, strlen(HELLO_TEXT)) == 0);
}

/* The byte at offset of lines.txt. */
static char lines_byte(int offset)
{
    char line[16];

    snprintf(line, sizeof line, "line %04d\n", offset / 10);
    return line[offset % 10];
}

static int lines_match(const char *p, int offset, int len)
{
    int i;

    for (i = 0; i < len; i++) {
        if (p[i] != lines_byte(offset + i))
            return 0;
    }
    return 1;
}

/* lines.txt spans 20 sectors; the pieces cross sector (512) and larger boundaries. */
static void check_big_file(void)
{
    static const int offsets[] = { 0, 505, 1020, 4090, 9213, 9990, 9999 };
    size_t i;
    int want;

    memset(buf, 0, sizeof buf);
    CHECK_INT(readfile(LINES_NAME, buf, (int)sizeof buf, 0), LINES_SIZE);
    CHECK(lines_match(buf, 0, LINES_SIZE));
    for (i = 0; i < sizeof offsets / sizeof offsets[0]; i++) {
        want = LINES_SIZE - offsets[i] < 20 ? LINES_SIZE - offsets[i] : 20;
        CHECK_INT(readfile(LINES_NAME, buf, 20, offsets[i]), want);
        if (!CHECK(lines_match(buf, offsets[i], want)))
            printf("readfile_test: (offset %d)\n", offsets[i]);
    }
    CHECK_INT(readfile(LINES_NAME, buf, 100, LINES_SIZE), 0);
}

/* Buffers readfile() must not write: unmapped, kernel, read-only, too short. */
static void check_bad_buffers(void)
{
    char *code = (char *)(uintptr_t)main;
    char *unmapped = test_unmapped_page();
    char before[16];

    CHECK_ERROR(readfile(HELLO_NAME, NULL, 10, 0));
    CHECK_ERROR(readfile(HELLO_NAME, WILD_ADDRESS, 10, 0));
    CHECK_ERROR(readfile(HELLO_NAME, KERNEL_ADDRESS, 10, 0));
    CHECK_ERROR(readfile(HELLO_NAME, buf, 1 << 20, 0));       /* buf is not 1 MiB */
    memcpy(before, code, sizeof before);
    CHECK_ERROR(readfile(HELLO_NAME, code, 10, 0));           /* our code: read-only */
    CHECK(memcmp(before, code, sizeof before) == 0);
    if (unmapped - _end >= 8)           /* only the gap after _end is ours to spoil */
        CHECK_ERROR(readfile(HELLO_NAME, unmapped - 8, 16, 0));
}

static void check_bad_names(void)
{
    char *unmapped = test_unmapped_page();
    static char very_long[300];

    CHECK_ERROR(readfile(NULL, buf, 10, 0));
    CHECK_ERROR(readfile(WILD_ADDRESS, buf, 10, 0));
    CHECK_ERROR(readfile(KERNEL_ADDRESS, buf, 10, 0));
    if (unmapped - _end >= 9) {         /* "hello.txt" with its NUL cut off */
        memcpy(unmapped - 9, HELLO_NAME, 9);
        CHECK_ERROR(readfile(unmapped - 9, buf, 10, 0));
    }
    CHECK_ERROR(readfile("", buf, 10, 0));
    CHECK_ERROR(readfile("no_such_file", buf, 10, 0));
    CHECK_ERROR(readfile("hello.tx", buf, 10, 0));
    CHECK_ERROR(readfile("hello.txtx", buf, 10, 0));
    memset(very_long, 'a', sizeof very_long - 1);
    CHECK_ERROR(readfile(very_long, buf, 10, 0));
    /* Long names are case-sensitive. */
    CHECK_ERROR(readfile("A_FILE_WITH_A_RATHER_LONG_NAME_HERE.TXT", buf, 10, 0));
    CHECK_ERROR(readfile("A_file_with_a_rather_long_name_here.txt", buf, 10, 0));
}

/* Reads "." in chunks; returns its length. */
static int read_listing(void)
{
    int len = 0, n = 0;

    while (len + CHUNK <= (int)sizeof listing &&
           (n = readfile(".", listing + len, CHUNK, len)) > 0)
        len += n;
    CHECK_INT(n, 0);
    return len;
}

static int same_ignoring_case(const char *a, const char *b)
{
    while (*a != '\0' && tolower((unsigned char)*a) == tolower((unsigned char)*b)) {
        a++;
        b++;
    }
    return *a == *b;
}

/* Is name in the listing? Every name listed must also be readable. */
static int listed(const char *listing_end, const char *name, int any_case)
{
    const char *p;
    int found = 0;

    for (p = listing; p < listing_end && *p != '\0'; p += strlen(p) + 1) {
        if (any_case ? same_ignoring_case(p, name) : strcmp(p, name) == 0)
            found = 1;
    }
    return found;
}

static void check_listing(void)
{
    int len = read_listing();
    const char *end = listing + len;
    const char *p = listing;
    int files = 0;

    CHECK(len >= 2 && listing[len - 1] == '\0' && listing[len - 2] == '\0');
    for (; p < end && *p != '\0'; p += strlen(p) + 1) {
        if (!CHECK(readfile((char *)p, buf, 1, 0) >= 0))
            printf("readfile_test: listed file \"%s\" cannot be read\n", p);
        files++;
    }
    CHECK(p == end - 1);                /* the final NUL is the last byte */
    CHECK(listed(end, HELLO_NAME, 0));
    CHECK(listed(end, LONG_NAME, 0));
    CHECK(listed(end, LINES_NAME, 0));
    CHECK(listed(end, "readfile_test", 0));
    CHECK(listed(end, "KERNEL.BIN", 1));
    CHECK_ERROR(readfile(".", buf, 10, len + 1));
    printf("readfile_test: %d files listed\n", files);
}

int main(void)
{
    test_start("readfile_test");
    check_whole_file(HELLO_NAME, HELLO_TEXT);
    check_whole_file(LONG_NAME, LONG_TEXT);
    check_offsets();
    check_small_steps();
    check_big_file();
    check_bad_buffers();
    check_bad_names();
    check_listing();
    return test_finish();
}
