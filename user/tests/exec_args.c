/*
 * exec_args - exec()'s arguments and errors.
 *
 *   exec_args                the test: every failing exec below returns its error and we run
 *                            on intact; big argument lists work in forked children; at the end
 *                            we become "args_test one, two words, (empty), last"
 *   exec_args verify N B ... what the children exec: checks that argc is N, that the argument
 *                            strings take B bytes with their NULs, and the filler contents;
 *                            and that the region the child had mapped before exec is gone
 *
 * Limits of this kernel: 128 arguments, 8192 bytes of argument strings (NULs included).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <syscall.h>
#include "testlib.h"

#define E_FAULT         (-3)
#define E_NOENT         (-4)
#define E_NOEXEC        (-6)
#define E_2BIG          (-11)
#define MAX_ARGV        300
#define MAX_BYTES       10000
#define SCRATCH         ((char *)0x20000000)    /* a new_pages page followed by unmapped memory */
#define NUMBER_WIDTH    5                       /* "%05d": the header's length never changes */

static char *big_argv[MAX_ARGV + 1];
static char big_strings[MAX_BYTES];
static int survivor = 0x600dcafe;               /* a failed exec must leave this alone */

/* The filler character of argument i: what verify expects to find. */
static char filler_char(int i) { return (char)('a' + i % 26); }

/*
 * Builds big_argv: "exec_args verify N B" and fillers, argc entries holding `bytes` bytes of
 * strings in all (NULs included). Fillers share what is left; each is at least "" (1 byte).
 */
static void build_args(int argc, int bytes)
{
    char *p = big_strings;
    int i, used, fillers = argc - 4, share, len;

    big_argv[0] = "exec_args";
    big_argv[1] = "verify";
    big_argv[2] = p;
    p += sprintf(p, "%0*d", NUMBER_WIDTH, argc) + 1;
    big_argv[3] = p;
    p += sprintf(p, "%0*d", NUMBER_WIDTH, bytes) + 1;
    used = 10 + 7 + 2 * (NUMBER_WIDTH + 1);
    for (i = 4; i < argc; i++) {
        share = (bytes - used) / fillers--;
        len = share - 1;
        big_argv[i] = p;
        memset(p, filler_char(i), (size_t)len);
        p[len] = '\0';
        p += len + 1;
        used += len + 1;
    }
    big_argv[argc] = NULL;
}

/* "exec_args verify N B ...": exits 0 if the arguments are as promised. */
static int verify(int argc, char *argv[])
{
    int want_argc = atoi(argv[2]), want_bytes = atoi(argv[3]), bytes = 0, i, j, bad = 0;

    for (i = 0; i < argc; i++) {
        int len = (int)strlen(argv[i]);
        for (j = 0; i >= 4 && j < len; j++)
            bad += argv[i][j] != filler_char(i);
        bytes += len + 1;
    }
    /* The child mapped SCRATCH before exec; the new image must not have it. */
    if (new_pages(SCRATCH, 2 * PAGE_SIZE) != 0 || SCRATCH[8] != 0) {
        printf("exec_args: FAILED: verify: the old program's region survived exec\n");
        return 1;
    }
    if (argc != want_argc || bytes != want_bytes || bad || argv[argc] != NULL) {
        printf("exec_args: FAILED: verify: argc %d bytes %d (expected %d %d), %d bad chars\n",
               argc, bytes, want_argc, want_bytes, bad);
        return 1;
    }
    printf("exec_args: verified argc=%d bytes=%d\n", argc, bytes);
    return 0;
}

/* Execs the big argument list in a child; returns the child's exit status. */
static int exec_in_child(int argc, int bytes)
{
    int status = -1, tid;

    build_args(argc, bytes);
    tid = fork();
    if (tid == 0) {
        int r = new_pages(SCRATCH, 2 * PAGE_SIZE);
        SCRATCH[8] = 'x';               /* a region with a frame in it, left to exec */
        r = r < 0 ? r : exec("exec_args", big_argv);
        printf("exec_args: FAILED: exec of %d args, %d bytes returned %d\n", argc, bytes, r);
        exit(100);
    }
    CHECK(tid > 0);
    CHECK_INT(wait(&status), tid);
    return status;
}

static void check_big_lists(void)
{
    CHECK_INT(exec_in_child(64, 4096), 0);
    CHECK_INT(exec_in_child(128, 1000), 0);     /* the most arguments */
    CHECK_INT(exec_in_child(10, 8192), 0);      /* the most bytes */
    printf("exec_args: 64 args/4 KiB, 128 args and 8192 bytes worked\n");
}

/* exec that must fail with `want` and leave us running. */
static void expect_exec(char *name, char **argv, int want, const char *what)
{
    int r = exec(name, argv);

    if (r != want)
        printf("exec_args: FAILED: %s: exec returned %d, expected %d\n", what, r, want);
    CHECK_INT(r, want);
}

/* Same, when any error will do; the value is printed for the log. */
static void expect_exec_error(char *name, char **argv, const char *what)
{
    int r = exec(name, argv);

    printf("exec_args: %s: error %d\n", what, r);
    CHECK(r < 0);
}

static void check_limits(void)
{
    build_args(129, 1000);
    expect_exec("exec_args", big_argv, E_2BIG, "129 args");
    build_args(MAX_ARGV, 2000);
    expect_exec("exec_args", big_argv, E_2BIG, "300 args");
    build_args(10, 8193);
    expect_exec("exec_args", big_argv, E_2BIG, "8193 bytes");
    build_args(10, 9000);
    expect_exec("exec_args", big_argv, E_2BIG, "9000 bytes");
    printf("exec_args: too many args / too many bytes refused with -11\n");
}

static void check_bad_files(void)
{
    static char long_name[301];
    char *argv[] = { "x", NULL };

    expect_exec("no_such_program", argv, E_NOENT, "missing file");
    expect_exec("hello.txt", argv, E_NOEXEC, "text file");
    expect_exec("Args_test", argv, E_NOENT, "wrong case");
    memset(long_name, 'q', 255);
    expect_exec(long_name, argv, E_NOENT, "255-char missing name");
    memset(long_name, 'q', 300);
    expect_exec_error(long_name, argv, "300-char name");
    expect_exec_error("", argv, "empty name");
    expect_exec_error("docs", argv, "directory");
    expect_exec_error("docs/readme.txt", argv, "text file in a directory");
    printf("exec_args: missing and non-ELF files refused\n");
}

/* Bad pointers: name and argv. SCRATCH's page is mapped, the page after it is not. */
static void check_bad_pointers(void)
{
    char *good[] = { "exec_args", NULL };
    char *wild_string[] = { "exec_args", WILD_ADDRESS, NULL };
    char *kernel_string[] = { "exec_args", KERNEL_ADDRESS, NULL };
    char *page_end = SCRATCH + PAGE_SIZE;
    char **unterminated = (char **)(page_end - 2 * sizeof(char *));
    char *runaway_arg[] = { "exec_args", page_end - 4, NULL };

    unterminated[0] = "exec_args";      /* the next entry would be on the unmapped page */
    unterminated[1] = "x";
    memset(page_end - 4, 'z', 4);       /* a string with no NUL before the unmapped page */
    expect_exec(NULL, good, E_FAULT, "NULL name");
    expect_exec(WILD_ADDRESS, good, E_FAULT, "unmapped name");
    expect_exec(KERNEL_ADDRESS, good, E_FAULT, "kernel name");
    expect_exec(page_end - 4, good, E_FAULT, "name running into unmapped memory");
    expect_exec_error("exec_args", NULL, "NULL argv");
    expect_exec("exec_args", (char **)WILD_ADDRESS, E_FAULT, "unmapped argv");
    expect_exec("exec_args", (char **)KERNEL_ADDRESS, E_FAULT, "kernel argv");
    expect_exec("exec_args", wild_string, E_FAULT, "argv[1] unmapped");
    expect_exec("exec_args", kernel_string, E_FAULT, "argv[1] in the kernel");
    expect_exec("exec_args", unterminated, E_FAULT, "argv without NULL");
    expect_exec("exec_args", runaway_arg, E_FAULT, "argv[1] running into unmapped memory");
    printf("exec_args: bad name and argv pointers refused\n");
}

static void run_error_cases(void)
{
    int canary = 0x5ca1ab1e, before, after;

    CHECK_INT(new_pages(SCRATCH, PAGE_SIZE), 0);
    memset(SCRATCH, 0, PAGE_SIZE);      /* touched before we count frames */
    memset(big_strings, 0, sizeof big_strings);
    before = free_frames();
    check_limits();
    check_bad_files();
    check_bad_pointers();
    after = free_frames();
    CHECK_INT(after, before);           /* failed execs give back all they took */
    CHECK_INT(canary, 0x5ca1ab1e);
    CHECK_INT(survivor, 0x600dcafe);
    CHECK_INT(remove_pages(SCRATCH), 0);
    printf("exec_args: still running after the failed execs (free frames %d, %d)\n", before,
           after);
}

int main(int argc, char *argv[])
{
    char *final_argv[] = { "args_test", "one", "two words", "", "last", NULL };
    int r;

    if (argc >= 4 && strcmp(argv[1], "verify") == 0)
        return verify(argc, argv);
    if (argc != 1) {
        printf("exec_args: FAILED: started with argc %d\n", argc);
        return 3;
    }
    test_start("exec_args");
    run_error_cases();
    check_big_lists();
    /* Leave memory behind for exec to free: a touched region and the heap (init counts). */
    CHECK_INT(new_pages(SCRATCH, 4 * PAGE_SIZE), 0);
    memset(SCRATCH, 1, 4 * PAGE_SIZE);
    CHECK(malloc(10000) != NULL);
    if (test_finish() != 0)
        return 1;
    printf("exec_args: now exec args_test\n");
    r = exec("args_test", final_argv);
    printf("exec_args: FAILED: exec args_test returned %d\n", r);
    return 2;
}
