/*
 * keyin.h - helpers for the tests of keyboard input, the line discipline and consoles
 * (doc/syscalls.md 7, 10, 11). Include after testlib.h's test_start has named the test.
 *
 *   CHECK_READ(len, want)   readline(len, buf) must return exactly the bytes of want
 *   CHECK_GETCHAR(want)     getchar() must return want
 *   gate_wait()             returns once the harness has typed everything it meant to type
 *                           on console 1 (see below; also gate_start, gate_finish)
 *
 * Failures print the bytes with '\n', '\b' and other control characters spelled out, so a
 * FAILED line stays one line.
 */
#ifndef _KEYIN_H
#define _KEYIN_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include "testlib.h"

#define KEYIN_MAX 300                   /* longest line the checks compare */

/* Writes the n bytes of s into out (size bytes, NUL-terminated) in a C-like spelling. */
static inline void keyin_spell(char *out, int size, const char *s, int n)
{
    int at = 0;

    for (int i = 0; i < n && at < size - 5; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\n')
            at += snprintf(out + at, size - at, "\\n");
        else if (c == '\b')
            at += snprintf(out + at, size - at, "\\b");
        else if (c < ' ' || c >= 0x7f)
            at += snprintf(out + at, size - at, "\\x%02x", c);
        else
            out[at++] = (char)c;
    }
    out[at] = '\0';
}

/* Compares n bytes that `what` gave (n < 0: an error) with the string want; prints a FAILED
 * line on a difference. Returns whether they were the same. */
static inline int keyin_compare(const char *what, const char *buf, int n, const char *want,
                                int line)
{
    char got[4 * KEYIN_MAX], exp[4 * KEYIN_MAX];
    int wn = (int)strlen(want);

    if (n == wn && memcmp(buf, want, wn) == 0)
        return 1;
    keyin_spell(got, sizeof got, buf, n < 0 ? 0 : n);
    keyin_spell(exp, sizeof exp, want, wn);
    printf("%s: FAILED line %d: %s gave %d \"%s\", expected %d \"%s\"\n",
           test_name, line, what, n, got, wn, exp);
    test_failures++;
    return 0;
}

/* readline(len) must give want (its length and bytes), writing nothing past what it returns. */
static inline void keyin_check_read(int len, const char *want, int line)
{
    char buf[KEYIN_MAX + 1], what[32];
    int n;

    if (len > KEYIN_MAX) {                      /* a mistake in the test itself */
        printf("%s: FAILED line %d: CHECK_READ len %d > %d\n", test_name, line, len, KEYIN_MAX);
        exit(1);
    }
    memset(buf, '#', sizeof buf);
    n = readline(len, buf);
    snprintf(what, sizeof what, "readline(%d)", len);
    if (keyin_compare(what, buf, n, want, line) && buf[n] != '#') {
        printf("%s: FAILED line %d: %s wrote past its %d bytes\n", test_name, line, what, n);
        test_failures++;
    }
}

/* getchar() must give want. */
static inline void keyin_check_getchar(int want, int line)
{
    int c = getchar();

    if (c == want)
        return;
    printf("%s: FAILED line %d: getchar() gave %d (0x%x), expected %d (0x%x)\n",
           test_name, line, c, c, want, want);
    test_failures++;
}

#define CHECK_READ(len, want)   keyin_check_read((len), (want), __LINE__)
#define CHECK_GETCHAR(want)     keyin_check_getchar((want), __LINE__)

/*
 * gate_wait: how a test learns that typing on console 1 has ended while nobody there read.
 * A child task takes console 2 (which comes to the front), prints
 *     NAME: console 2 waits for go
 * and reads a line there; the parent waits for the child. The case file answers with
 *     type: {alt-f1}WHAT CONSOLE 1 GETS{alt-f2}go\n
 * Keys reach the kernel in the order typed, so when the child has its "go" every key before
 * it is in console 1's ring. The child ends and console 2 with it (console 1 comes forward).
 * gate_wait returns 0, or -1 after printing what went wrong. Call it before making threads.
 * gate_start and gate_finish are its two halves, for a test with more to do in between.
 */
static inline void keyin_gate_child(void)
{
    char line[16];
    int r = new_console(), n;

    if (r < 0) {
        printf("%s: FAILED: new_console for the gate: %d\n", test_name, r);
        exit(1);
    }
    printf("%s: console 2 waits for go\n", test_name);
    n = readline(sizeof line, line);
    if (n != 3 || memcmp(line, "go\n", 3) != 0) {
        printf("%s: FAILED: the gate read %d bytes, not \"go\\n\"\n", test_name, n);
        exit(1);
    }
    exit(0);
}

/* Starts the gate child; returns its tid (negative: fork failed). */
static inline int gate_start(void)
{
    int tid = fork();

    if (tid == 0)
        keyin_gate_child();
    return tid;
}

/* Waits for the gate child to have read its "go"; 0, or -1 after saying what went wrong. */
static inline int gate_finish(int tid)
{
    int status = -1;

    if (tid < 0 || wait(&status) != tid || status != 0) {
        printf("%s: FAILED: the gate (fork %d, status %d)\n", test_name, tid, status);
        test_failures++;
        return -1;
    }
    return 0;
}

static inline int gate_wait(void)
{
    return gate_finish(gate_start());
}

#endif /* _KEYIN_H */
