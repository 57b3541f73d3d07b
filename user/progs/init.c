/*
 * init - the first task. The kernel starts it with the words of the floppy's `bootargs` file
 * as arguments.
 *
 *   init                  keeps a shell running: starts it, and starts a new one when it exits
 *   init PROG ARGS...     runs PROG once (the test harness and `./build.sh run` use this), then
 *                         halts the machine with PROG's exit status
 *   init -m MODE ...      first calls misbehave(MODE) (the harness's --misbehave); several
 *                         -m options add their bits up
 *
 * Either way init collects every orphan the kernel hands to it (doc/syscalls.md 4), so finished
 * tasks do not pile up as zombies. In the PROG mode it also checks that every physical frame
 * came back once PROG and all its descendants are gone, and says so if not.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>

#define RETRY_TICKS 100                 /* pause before retrying a failed or short-lived shell */

/* Starts argv[0] in a child task; returns its tid, or a negative error. */
static int spawn(char **argv)
{
    int tid = fork();

    if (tid == 0) {
        int err = exec(argv[0], argv);
        printf("init: cannot exec %s: %s (%d)\n", argv[0], strerror(err), err);
        task_vanish(-1);
    }
    return tid;
}

/* Collects children until `child` exits; returns its status. Orphans pass by quietly. */
static int wait_for(int child)
{
    int status, tid;

    while ((tid = wait(&status)) >= 0)
        if (tid == child)
            return status;
    printf("init: wait failed: %s (%d)\n", strerror(tid), tid);
    return -1;
}

/* Collects every remaining child (orphans of PROG) until none is left. */
static void reap_all(void)
{
    int status;

    while (wait(&status) >= 0)
        ;
}

/* Runs one program, then halts with its status after checking for leaked frames. */
static void run_once(char **argv)
{
    int before = free_frames(), after, status, child;

    child = spawn(argv);
    if (child < 0) {
        printf("init: fork failed: %s (%d)\n", strerror(child), child);
        set_status(child);
        halt();
    }
    status = wait_for(child);
    reap_all();
    after = free_frames();
    if (after != before)
        printf("init: frames leaked: %d (free before %d, after %d)\n", before - after, before,
               after);
    set_status(status);
    halt();
}

/*
 * Keeps a shell running on console 1, where init itself runs. A shell that dies at once (no
 * `shell` on the disk, or one that cannot read the keyboard) is restarted only after a pause,
 * so the console is not flooded with the same error.
 */
static void keep_shell_running(void)
{
    static char *shell_argv[] = { "shell", NULL };
    unsigned int started;
    int shell, status;

    for (;;) {
        started = get_ticks();
        shell = spawn(shell_argv);
        if (shell < 0) {
            printf("init: fork failed: %s (%d)\n", strerror(shell), shell);
            sleep(RETRY_TICKS);
            continue;
        }
        status = wait_for(shell);
        printf("init: shell exited with status %d, starting a new one\n", status);
        if (get_ticks() - started < RETRY_TICKS)
            sleep(RETRY_TICKS);
    }
}

int main(int argc, char **argv)
{
    int mode = 0;

    while (argc > 2 && !strcmp(argv[1], "-m")) {  /* several -m: their bits add up */
        mode |= atoi(argv[2]);
        misbehave(mode);
        argc -= 2;
        argv += 2;
    }
    if (argc > 1)
        run_once(argv + 1);
    keep_shell_running();
    return 0;
}
