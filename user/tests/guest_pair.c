/*
 * guest_pair - several guests (or programs) at once: guest_pair PROG[=STATUS]...
 *
 * Starts every PROG in a child task of its own (fork, then exec: a guest ELF becomes a guest
 * in that task, SPEC.md 13), all before waiting for any, then collects them all and prints
 * "guest_pair: PROG status S" in the order given, then "guest_pair: ok" if each status was
 * STATUS (0 when not given), or "guest_pair: FAILED ..." lines and status 1. The children
 * share this console, so their lines interleave; the cases (tests/cases/guest_pair*.t)
 * expect only these summary lines. Used for two guests beside a normal program, a crash
 * that ends one guest alone, and two guests that share page tables heavily.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>

#define MAX_CHILDREN 8

int main(int argc, char **argv)
{
    int tids[MAX_CHILDREN], statuses[MAX_CHILDREN], want[MAX_CHILDREN], n = argc - 1;
    int failed = 0;

    memset(statuses, 0, sizeof statuses);

    if (n < 1 || n > MAX_CHILDREN) {
        printf("usage: guest_pair PROG[=STATUS]... (1 to %d)\n", MAX_CHILDREN);
        return 2;
    }
    for (int i = 0; i < n; i++) {
        char *eq = strchr(argv[i + 1], '=');
        want[i] = 0;
        if (eq) {
            *eq = '\0';
            want[i] = atoi(eq + 1);
        }
    }
    for (int i = 0; i < n; i++) {
        char *child_argv[] = { argv[i + 1], NULL };
        tids[i] = fork();
        if (tids[i] == 0) {
            int err = exec(child_argv[0], child_argv);
            printf("guest_pair: FAILED: exec %s: %d\n", child_argv[0], err);
            task_vanish(-1);
        }
        if (tids[i] < 0) {
            printf("guest_pair: FAILED: fork: %d\n", tids[i]);
            return 1;
        }
    }
    for (int left = n; left > 0; left--) {
        int status, tid = wait(&status);
        if (tid < 0) {
            printf("guest_pair: FAILED: wait: %d\n", tid);
            return 1;
        }
        for (int i = 0; i < n; i++)
            if (tids[i] == tid)
                statuses[i] = status;
    }
    for (int i = 0; i < n; i++) {
        printf("guest_pair: %s status %d\n", argv[i + 1], statuses[i]);
        if (statuses[i] != want[i]) {
            printf("guest_pair: FAILED: %s: expected status %d\n", argv[i + 1], want[i]);
            failed = 1;
        }
    }
    if (!failed)
        printf("guest_pair: ok\n");
    return failed;
}
