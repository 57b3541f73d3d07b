/*
 * soak - everything at once, for a fixed amount of work: two shells on consoles of their own,
 * each running a worker typed into it; guests; the system-call fuzzer; thread-library stress.
 * At the end every program must have ended as it should and every frame must be back.
 *
 *   soak            the driver (tests/cases/soak.t types into it)
 *   soak worker     what the case types into each shell: waits for the driver's go, then
 *                   runs worker_jobs one after another, exit status 0 if all ended with 0
 *
 * The driver, on console 1:
 *   1. starts, one at a time, G on console 2 (it will run guest_jobs: guests/guest_churn's 11
 *      variants, guests/guest_hostile's 78, and five guests of the suite; not guest_timer,
 *      whose checks assume it is not kept from the CPU for a tick) and two shells on
 *      consoles 3 and 4. Each child signals when its console exists (make_runnable of the
 *      driver, which waits in deschedule) and then waits in deschedule itself: nothing more
 *      takes a console, or prints, until the driver says "consoles 2, 3 and 4 are ready";
 *   2. lets the shells run, and reads a line on console 1: the case types "soak worker" into
 *      both shells (each worker says it waits for go and descheduled itself), then "go" here;
 *   3. wakes every descheduled thread in the system: exactly G and the two workers must wake
 *      (make_runnable on any task's thread is the only signal Pebbles has). Starts T (the
 *      thread-library programs of thread_jobs, one after another) and F (syscall_fuzz four
 *      times; its children open and close consoles at random). G, T, F and both workers now
 *      run at once;
 *   4. collects G, T and F, waits for both workers to be gone, and says "stress over": the
 *      case asks each shell for the last status (`status`, which must print 0) and exits them;
 *   5. collects the shells (status 0), counts the free frames (as before), says "soak: ok".
 * A child that reads a guest variant finds it in its console's cursor (see guest_hammer.c).
 * The fuzzer's children at times hold most of memory, so a fork or exec may fail with
 * E_NOMEM, as the contract allows: that run is started again a tick later (run_one).
 * Output of different consoles interleaves in the debug log (doc/syscalls.md 10), even inside
 * a line, so the lines the case waits for are printed while everything else is quiet.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>

#define CRASH       ((int)0xDEADC0DE)
#define SELF        0x7FFFFFFD          /* the status a guest_churn variant gives: its number */
#define E_SRCH      (-8)
#define E_NOMEM     (-5)
#define TID_SCAN    4096                /* the tids searched for descheduled threads */
#define NO_MEMORY   0x7E000005          /* a child's status: exec said E_NOMEM */
#define MEMORY_TRIES 500                /* runs of one job refused E_NOMEM before we give up */

static int memory_waits;                /* runs started again after E_NOMEM */

/* One program to run, or a guest with variants first..last (0: it takes none). */
struct job {
    const char *argv[3];
    int first, last;
    int status;                         /* what each run must end with */
};

static const struct job guest_jobs[] = {
    { { "guests/guest_churn" }, 1, 11, SELF },
    { { "guests/guest_hostile" }, 1, 78, CRASH },
    { { "guests/guest_paging" }, 0, 0, 0 },
    { { "guests/guest_user" }, 0, 0, 0 },
    { { "guests/guest_shared_pt" }, 0, 0, 0 },
    { { "guests/guest_magic" }, 0, 0, 0 },
    { { "guests/guest_exit" }, 0, 0, 42 },
};

static const struct job thread_jobs[] = {
    { { "thr_locks", "mutex" }, 0, 0, 0 },
    { { "thr_locks", "sem" }, 0, 0, 0 },
    { { "thr_locks", "cond" }, 0, 0, 0 },
    { { "thr_locks", "rwlock" }, 0, 0, 0 },
    { { "thr_libc", "malloc" }, 0, 0, 0 },
    { { "thr_threads", "create_many" }, 0, 0, 0 },
    { { "thread_mass" }, 0, 0, 0 },
};

/* The fuzzer, four times over: long enough to overlap the rest, in both emulators. */
static const struct job fuzz_jobs[] = {
    { { "syscall_fuzz" }, 0, 0, 0 },
    { { "syscall_fuzz" }, 0, 0, 0 },
    { { "syscall_fuzz" }, 0, 0, 0 },
    { { "syscall_fuzz" }, 0, 0, 0 },
};

static const struct job worker_jobs[] = {
    { { "cow_many" }, 0, 0, 0 },
    { { "fork_threaded" }, 0, 0, 0 },  /* (fork_wait times its waits: not under load) */
    { { "malloc_test" }, 0, 0, 0 },
    { { "thr_locks", "mutex" }, 0, 0, 0 },
    { { "knife", "6" }, 0, 0, 0 },
};

#define COUNT(a) ((int)(sizeof (a) / sizeof (a)[0]))

/*==== Running jobs ====*/

/* Runs one job (variant v, or 0) in a child and waits for it; its status, NO_MEMORY if fork
 * or exec found no memory for it, or -1 after saying what else went wrong. */
static int run_child(const struct job *j, int v)
{
    int status, err, tid = fork();

    if (tid == 0) {
        if (v > 0)
            set_cursor_pos(v / 80, v % 80);     /* the guest reads its variant there */
        if ((err = exec((char *)j->argv[0], (char **)j->argv)) == E_NOMEM)
            exit(NO_MEMORY);
        printf("soak: FAILED: exec %s: %d\n", j->argv[0], err);
        exit(1);
    }
    if (tid == E_NOMEM)
        return NO_MEMORY;
    if (tid < 0 || wait(&status) != tid) {
        printf("soak: FAILED: fork or wait for %s: %d\n", j->argv[0], tid);
        return -1;
    }
    return status;
}

/*
 * Runs one job and checks how it ended; returns 0 if right. The fuzzer's children hold much
 * of memory at times, and fork or exec may then fail with E_NOMEM (doc/syscalls.md 4), as
 * they should: that run is tried again a tick later. The work done stays the same.
 */
static int run_one(const struct job *j, int v)
{
    int want = j->status == SELF ? v : j->status, status = NO_MEMORY;

    for (int tries = 0; status == NO_MEMORY && tries < MEMORY_TRIES; tries++) {
        if (tries > 0) {
            memory_waits++;
            sleep(1);
        }
        status = run_child(j, v);
    }
    if (status == want)
        return 0;
    printf("soak: FAILED: %s %s (variant %d) ended with %d, expected %d\n", j->argv[0],
           j->argv[1] ? j->argv[1] : "", v, status, want);
    return -1;
}

/* Runs every job of a list in turn (every variant of each); returns how many went wrong. */
static int run_list(const struct job *jobs, int n)
{
    int failed = 0;

    for (int i = 0; i < n; i++)
        for (int v = jobs[i].first; v <= jobs[i].last; v++)
            failed += run_one(&jobs[i], v) < 0;
    if (memory_waits)
        printf("soak: %s...: %d runs waited for memory\n", jobs[0].argv[0], memory_waits);
    return failed;
}

/*==== Signals between tasks: deschedule and make_runnable ====*/

/* Wakes thread tid, which is in deschedule or about to be (E_STATE: not yet; let it run). */
static void wake(int tid)
{
    int r;

    while ((r = make_runnable(tid)) < 0 && r != E_SRCH)
        yield(tid);
}

/* Waits in deschedule until some thread names us in make_runnable. */
static void await_wake(void)
{
    int reject = 0;

    deschedule(&reject);
}

/* Wakes every thread that waits in deschedule; stores the first `max` tids in woken[]. */
static int wake_all(int *woken, int max)
{
    int n = 0;

    for (int tid = 1; tid < TID_SCAN; tid++)
        if (make_runnable(tid) == 0 && n++ < max)
            woken[n - 1] = tid;
    return n;
}

/* Returns once thread tid is gone, looking every tick. */
static void await_gone(int tid)
{
    while (yield(tid) != E_SRCH)
        sleep(1);
}

/*==== The children ====*/

enum child_kind { CHILD_GUESTS, CHILD_SHELL };

/* Forks a child on a console of its own: it says so to the driver (tid `driver`), waits for
 * the driver's word, then runs the guests or a shell. Returns once its console exists. */
static int start_on_console(enum child_kind kind, int driver)
{
    static char *shell_argv[] = { "shell", NULL };
    int tid = fork();

    if (tid == 0) {
        if (new_console() < 0)
            printf("soak: FAILED: new_console\n");
        wake(driver);
        await_wake();
        if (kind == CHILD_GUESTS)
            exit(run_list(guest_jobs, COUNT(guest_jobs)) ? 1 : 0);
        exec("shell", shell_argv);
        printf("soak: FAILED: exec shell\n");
        exit(1);
    }
    if (tid < 0) {
        printf("soak: FAILED: fork: %d\n", tid);
        exit(1);
    }
    await_wake();
    return tid;
}

/* Forks a child that runs a list of jobs (T or F); returns its tid. */
static int start_list(const struct job *jobs, int n)
{
    int tid = fork();

    if (tid == 0)
        exit(run_list(jobs, n) ? 1 : 0);
    return tid;
}

/*==== The worker and the driver ====*/

static int worker(void)
{
    printf("soak: a worker waits for go\n");
    await_wake();
    return run_list(worker_jobs, COUNT(worker_jobs)) ? 1 : 0;
}

/* Waits for the children in tids[0..n) (any order); counts those whose status is not 0. */
static int collect(const int *tids, int n, const char *const *names)
{
    int bad = 0, status, tid;

    for (int k = 0; k < n; k++) {
        if ((tid = wait(&status)) < 0) {
            printf("soak: FAILED: wait: %d\n", tid);
            return bad + 1;
        }
        for (int i = 0; i < n; i++)
            if (tids[i] == tid && status != 0) {
                printf("soak: FAILED: %s ended with status %d\n", names[i], status);
                bad++;
            }
    }
    return bad;
}

/* Steps 2 and 3: the go, the wake-up, the stress; returns how many things went wrong. */
static int stress(int guests)
{
    static const char *const names[] = { "the guests", "the thread jobs", "the fuzzer" };
    char line[16];
    int woken[4], n, bad = 0, tids[3] = { guests };

    if (readline(sizeof line, line) != 3 || memcmp(line, "go\n", 3) != 0) {
        printf("soak: FAILED: expected go\n");
        return 1;
    }
    printf("soak: go\n");
    n = wake_all(woken, 4);
    tids[1] = start_list(thread_jobs, COUNT(thread_jobs));
    tids[2] = start_list(fuzz_jobs, COUNT(fuzz_jobs));
    bad += collect(tids, 3, names);
    if (n != 3 || (woken[0] != guests && woken[1] != guests && woken[2] != guests)) {
        printf("soak: FAILED: woke %d threads, not the guests and two workers\n", n);
        return bad + 1;
    }
    for (int i = 0; i < 3; i++)
        if (woken[i] != guests)
            await_gone(woken[i]);       /* a worker: its shell then prints a prompt */
    sleep(20);
    return bad;
}

static int driver(void)
{
    static const char *const names[] = { "shell 3", "shell 4" };
    int me = gettid(), before = free_frames(), after, bad, guests, shells[2];

    guests = start_on_console(CHILD_GUESTS, me);
    shells[0] = start_on_console(CHILD_SHELL, me);
    shells[1] = start_on_console(CHILD_SHELL, me);
    printf("soak: consoles 2, 3 and 4 are ready\n");
    wake(shells[0]);
    wake(shells[1]);
    bad = stress(guests);
    printf("soak: stress over, exit both shells\n");
    bad += collect(shells, 2, names);
    if ((after = free_frames()) != before) {
        printf("soak: FAILED: %d frames lost\n", before - after);
        bad++;
    } else {
        printf("soak: shells exited, free frames as before\n");
    }
    if (bad == 0)
        printf("soak: ok\n");
    return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (argc == 2 && !strcmp(argv[1], "worker"))
        return worker();
    if (argc != 1) {
        printf("usage: soak [worker]\n");
        return 2;
    }
    return driver();
}
