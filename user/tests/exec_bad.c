/*
 * exec_bad - exec of malformed ELF files: each fails cleanly and the caller runs on, or (for
 * the odd but valid ones) the program starts and ends as it should; the kernel survives and
 * no frame is lost.
 *
 * The files are those of build/badelf, made by tests/data/mkbadelf.py, which the case copies
 * onto its scratch image as the folder badelf. We find them in the "." listing. Each file's name
 * starts with the outcome it must have (see mkbadelf.py). For each we fork a child that calls
 * exec on it; if exec returns, the child checks that its memory is as it was, prints the
 * error and exits with EXEC_FAILED minus the error, which the parent tells apart from the
 * statuses of programs and guests that did start. The parent also compares free_frames()
 * before and after each file, so a leak is pinned on the file that caused it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include "testlib.h"

#define FOLDER      "badelf/"
#define MAX_FILES   128
#define NAME_MAX    64
#define MIN_FILES   40                  /* fewer means the case did not copy the folder */
#define EXEC_FAILED 1000                /* child's status: EXEC_FAILED - error */
#define E_NOMEM     (-5)
#define E_NOEXEC    (-6)
#define KILLED      (-2)                /* status of a task the kernel ended for a fault */
#define GUEST_CRASH ((int)0xDEADC0DE)   /* status of a guest that broke the contract */
#define NATIVE_STACK_LOW ((void *)0xFFFBF000)
#define REGION      ((char *)0x30000000) /* a new_pages region that must survive exec */

static char names[MAX_FILES][NAME_MAX];
static int nfiles;
static int ran, refused, guests;
static volatile int canary = 0x5AFE;

/* Adds a listed name if it is in FOLDER (a name too long for us is a failure). */
static void take_name(const char *name)
{
    if (strncmp(name, FOLDER, strlen(FOLDER)) != 0)
        return;
    if (CHECK(nfiles < MAX_FILES && strlen(name) < NAME_MAX))
        strcpy(names[nfiles++], name);
}

/* Reads the "." listing (names each ended by a NUL, then one more NUL) in chunks; a name
 * may be split between two chunks, so it is gathered in `name` until its NUL. */
static void list_files(void)
{
    char buf[512], name[256];
    int n, len = 0, offset = 0;

    while ((n = readfile(".", buf, sizeof buf, offset)) > 0) {
        for (int i = 0; i < n; i++) {
            if (buf[i] != '\0') {
                if (len < (int)sizeof name - 1)
                    name[len++] = buf[i];
                continue;
            }
            if (len == 0)
                return;                 /* the empty name: the end of the list */
            name[len] = '\0';
            take_name(name);
            len = 0;
        }
        offset += n;
    }
    CHECK_INT(n, 0);
}

/* The child: exec the file; if that returns, check we are unchanged and report the error. */
static void child(char *path)
{
    char *argv[] = { path, NULL };
    volatile int local = 0x10CA1;
    int err;

    if (new_pages(REGION, PAGE_SIZE) == 0)
        REGION[5] = 42;
    err = exec(path, argv);
    printf("exec_bad: %s: exec returned %d (%s)\n", path + strlen(FOLDER), err,
           strerror(err));
    if (canary != 0x5AFE || local != 0x10CA1 || REGION[5] != 42) {
        printf("exec_bad: FAILED %s: the caller's memory changed\n", path);
        exit(1);
    }
    exit(err < 0 ? EXEC_FAILED - err : 1);
}

/* Whether the outcome fits what the name's prefix asks for: err is exec's error (0: the
 * file started), status the task's exit status when it did. */
static int outcome_ok(const char *name, int err, int status)
{
    int native = _stack_low_initial == NATIVE_STACK_LOW;

    if (!strncmp(name, "noexec_", 7))
        return err == E_NOEXEC;
    if (!strncmp(name, "nomem_", 6))
        return err == E_NOMEM;
    if (!strncmp(name, "runs_", 5))
        return err == 0 && status == 7;
    if (!strncmp(name, "edge_", 5))
        return native ? err == 0 && status == 7 : err == E_NOEXEC;
    if (!strncmp(name, "faults_", 7))
        return err == 0 && status == KILLED;
    if (!strncmp(name, "guestcrash_", 11))
        return err < 0 || status == GUEST_CRASH;
    if (!strncmp(name, "guest_", 6))
        return err < 0 || status == 77;
    return 0;                           /* a prefix this test does not know */
}

/* Runs one file in a child and judges how it ended. */
static void try_file(char *path)
{
    const char *name = path + strlen(FOLDER);
    int before = free_frames(), after, status = 0, tid, err = 0;

    tid = fork();
    if (tid == 0)
        child(path);
    if (!CHECK(tid > 0) || !CHECK(wait(&status) == tid))
        return;
    if (status > EXEC_FAILED && status < EXEC_FAILED + 100)
        err = EXEC_FAILED - status;
    else
        printf("exec_bad: %s: started, status %d\n", name, status);
    ran += err == 0;
    refused += err < 0;
    guests += !strncmp(name, "guest", 5) && err == 0;
    if (!outcome_ok(name, err, status)) {
        printf("exec_bad: FAILED %s: exec %d, status %d\n", name, err, status);
        test_failures++;
    }
    after = free_frames();
    if (after != before) {
        printf("exec_bad: FAILED %s: %d frames lost\n", name, before - after);
        test_failures++;
    }
}

int main(void)
{
    test_start("exec_bad");
    list_files();
    if (!CHECK(nfiles >= MIN_FILES))
        printf("exec_bad: only %d files in %s: was the folder copied?\n", nfiles, FOLDER);
    for (int i = 0; i < nfiles; i++)
        try_file(names[i]);
    printf("exec_bad: %d files: %d refused, %d started (%d guests)\n", nfiles, refused, ran,
           guests);
    return test_finish();
}
