/*
 * guest_pair - several guests (or programs) at once.
 *
 *   guest_pair [-c] PROG[=STATUS[,STATUS...]]... [+PROG[=STATUS...]]...
 *
 * Starts every PROG in a child task of its own (fork, then exec: a guest ELF becomes a guest
 * in that task, doc/syscalls.md 16), all before waiting for any, and collects them; then runs each
 * +PROG the same way, one after another. Prints "guest_pair: PROG status S" for each in the
 * order given, then "guest_pair: ok" if every status was one of its STATUSes (0 when none
 * is given; `crash` is 0xDEADC0DE, a crashed guest's), else "guest_pair: FAILED ..." lines
 * and exits with 1. With -c, each concurrent child starts on a console of its own
 * (new_console before its fork), the last one in front, and this task stays on that one.
 * The children share the log, so their lines interleave; the cases (tests/cases/guest_*.t)
 * expect only these summary lines. Used for two guests beside a normal program, a crash
 * that ends one guest alone, guests that share page tables heavily or run out of memory,
 * and key events for the guest in front.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>

#define MAX_CHILDREN    8
#define MAX_STATUSES    4
#define CRASH_STATUS    ((int)0xDEADC0DE)

struct child {
    char *name;
    int later;                          /* a +PROG: runs after the others */
    int tid, status;
    int want[MAX_STATUSES], nwant;
};

static struct child children[MAX_CHILDREN];

/* Reads "PROG[=S,S...]" (after any '+') into c. */
static void parse_child(struct child *c, char *arg)
{
    char *s;

    c->later = arg[0] == '+';
    c->name = arg + c->later;
    c->nwant = 0;
    s = strchr(c->name, '=');
    if (!s) {
        c->want[c->nwant++] = 0;
        return;
    }
    *s++ = '\0';
    while (*s && c->nwant < MAX_STATUSES) {
        c->want[c->nwant++] = strncmp(s, "crash", 5) ? atoi(s) : CRASH_STATUS;
        while (*s && *s != ',')
            s++;
        if (*s)
            s++;
    }
}

/* Forks a child that execs c->name; returns 0, or -1 after saying why. */
static int start(struct child *c)
{
    char *argv[] = { c->name, NULL };

    c->tid = fork();
    if (c->tid == 0) {
        int err = exec(argv[0], argv);
        printf("guest_pair: FAILED: exec %s: %d\n", argv[0], err);
        task_vanish(-1);
    }
    if (c->tid < 0) {
        printf("guest_pair: FAILED: fork: %d\n", c->tid);
        return -1;
    }
    return 0;
}

/* Waits for `count` children and files their statuses; returns 0, or -1 after saying why. */
static int collect(int n, int count)
{
    for (; count > 0; count--) {
        int status, tid = wait(&status);
        if (tid < 0) {
            printf("guest_pair: FAILED: wait: %d\n", tid);
            return -1;
        }
        for (int i = 0; i < n; i++)
            if (children[i].tid == tid)
                children[i].status = status;
    }
    return 0;
}

int main(int argc, char **argv)
{
    int n = 0, consoles = 0, failed = 0, running = 0;

    if (argc > 1 && !strcmp(argv[1], "-c")) {
        consoles = 1;
        argc--;
        argv++;
    }
    if (argc < 2 || argc - 1 > MAX_CHILDREN) {
        printf("usage: guest_pair [-c] PROG[=STATUS,...]... [+PROG[=STATUS,...]]... "
               "(1 to %d)\n", MAX_CHILDREN);
        return 2;
    }
    for (n = 0; n < argc - 1; n++)
        parse_child(&children[n], argv[n + 1]);
    for (int i = 0; i < n; i++) {
        if (children[i].later)
            continue;
        if (consoles && new_console() < 0) {
            printf("guest_pair: FAILED: new_console\n");
            return 1;
        }
        if (start(&children[i]) < 0)
            return 1;
        running++;
    }
    if (collect(n, running) < 0)
        return 1;
    for (int i = 0; i < n; i++)
        if (children[i].later && (start(&children[i]) < 0 || collect(n, 1) < 0))
            return 1;
    for (int i = 0; i < n; i++) {
        struct child *c = &children[i];
        int ok = 0;
        printf("guest_pair: %s status %d\n", c->name, c->status);
        for (int k = 0; k < c->nwant; k++)
            ok |= c->status == c->want[k];
        if (!ok) {
            printf("guest_pair: FAILED: %s: status %d not expected\n", c->name, c->status);
            failed = 1;
        }
    }
    if (!failed)
        printf("guest_pair: ok\n");
    return failed;
}
