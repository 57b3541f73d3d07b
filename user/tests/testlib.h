/*
 * testlib.h - small checking helpers shared by the test programs.
 *
 * A test calls test_start("NAME"), then CHECK(...) as often as it likes, and
 * ends main with "return test_finish();". Each failed check prints
 *     NAME: FAILED line L: what was checked [values]
 * and the test goes on, so one run shows every failure. At the end it prints
 * "NAME: ok" and returns 0, or "NAME: N check(s) failed" and returns 1.
 * The .t files expect the "ok" line and status 0.
 */
#ifndef _TESTLIB_H
#define _TESTLIB_H

#include <stdio.h>
#include <string.h>
#include <stdint.h>
#include <syscall.h>

/* The selectors user code runs with: the kernel's user segments, or (inside a guest of
 * another Pebbles kernel) whatever that kernel runs its guest on. */
static inline unsigned int user_cs(void)
{
    unsigned int v;
    __asm__ volatile("mov %%cs, %0" : "=r"(v));
    return v;
}
static inline unsigned int user_ss(void)
{
    unsigned int v;
    __asm__ volatile("mov %%ss, %0" : "=r"(v));
    return v;
}

static const char *test_name = "test";
static int test_failures;

static inline void test_start(const char *name)
{
    test_name = name;
}

static inline int test_check(int ok, const char *what, int line)
{
    if (!ok) {
        printf("%s: FAILED line %d: %s\n", test_name, line, what);
        test_failures++;
    }
    return ok;
}

static inline void test_check_int(int got, int want, const char *what, int line)
{
    if (got != want) {
        printf("%s: FAILED line %d: %s is %d, expected %d\n",
               test_name, line, what, got, want);
        test_failures++;
    }
}

static inline void test_check_str(const char *got, const char *want,
                                  const char *what, int line)
{
    if (strcmp(got, want) != 0) {
        printf("%s: FAILED line %d: %s is \"%s\", expected \"%s\"\n",
               test_name, line, what, got, want);
        test_failures++;
    }
}

static inline int test_finish(void)
{
    if (test_failures == 0) {
        printf("%s: ok\n", test_name);
        return 0;
    }
    printf("%s: %d check(s) failed\n", test_name, test_failures);
    return 1;
}

/*
 * The first page past the program image (user.ld defines _end). Nothing is
 * mapped there, so a buffer that ends in it runs into unmapped memory.
 * The bytes from _end up to this page are mapped but belong to no variable.
 */
extern char _end[];

static inline char *test_unmapped_page(void)
{
    return (char *)(((uintptr_t)_end + PAGE_SIZE - 1) & ~(uintptr_t)(PAGE_SIZE - 1));
}

/* Addresses every pointer check must refuse. */
#define KERNEL_ADDRESS  ((char *)0x00100000)    /* kernel memory, below 16 MiB */
#define WILD_ADDRESS    ((char *)0xdead0000)    /* user range, but never mapped */

#define CHECK(cond)             test_check((cond), #cond, __LINE__)
#define CHECK_INT(got, want)    test_check_int((got), (want), #got, __LINE__)
#define CHECK_STR(got, want)    test_check_str((got), (want), #got, __LINE__)
/* A system call that must fail (return a negative error). */
#define CHECK_ERROR(call)       test_check((call) < 0, #call " must fail", __LINE__)

#endif /* _TESTLIB_H */
