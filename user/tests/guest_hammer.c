/*
 * guest_hammer - runs a guest kernel many times, one chosen variant per run, and checks how
 * each run ended and that the host's frames come back (doc/syscalls.md 16).
 *
 *   guest_hammer [-r ROUNDS] [-p PAR] GUEST FIRST[-LAST]=STATUS...
 *
 * Each run is a child that takes a console of its own (new_console), leaves the variant
 * number in its cursor (row * 80 + column: guests get no arguments, and the hammered guests
 * read it back first) and execs GUEST. STATUS is what the run must end with: a number,
 * `crash` (0xDEADC0DE, a crashed guest) or `self` (the variant's own number, which a guest
 * that finished its checks gives back: a run that read the wrong variant cannot pass).
 *
 * Round 1 runs every variant in order, one at a time, with the free frames counted before
 * and after each run: a leak is pinned on its variant. Rounds 2..ROUNDS run them all again,
 * PAR at once (default 4, at most 6: eight consoles in all), each round in another order,
 * and count the free frames when the round is over. Prints one line per round and
 * "guest_hammer: ok", or "guest_hammer: FAILED ..." lines and exits with 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>

#define MAX_VARIANT     200
#define MAX_PAR         6               /* each run takes a console: 8 in all, ours is one */
#define CRASH_STATUS    ((int)0xDEADC0DE)
#define NO_RUN          0x7FFFFFFE      /* want[] of a variant not to be run */
#define SELF            0x7FFFFFFD      /* want[]: the variant's own number */

static char *guest;
static int want[MAX_VARIANT + 1];       /* the status each variant must end with */
static int order[MAX_VARIANT];          /* the variants of this round, in running order */
static int count;                       /* how many variants there are */
static int failures;

/* Reads "FIRST[-LAST]=STATUS" into want[]; returns 0, or -1 if it makes no sense. */
static int parse_range(char *arg)
{
    char *eq = strchr(arg, '='), *dash = strchr(arg, '-');
    int first = atoi(arg), last = dash && dash < eq ? atoi(dash + 1) : first, status;

    if (!eq || first < 1 || last < first || last > MAX_VARIANT)
        return -1;
    eq++;
    status = !strcmp(eq, "crash") ? CRASH_STATUS : !strcmp(eq, "self") ? SELF : atoi(eq);
    for (int v = first; v <= last; v++)
        want[v] = status;
    return 0;
}

/* Starts variant v of the guest in a child on a console of its own; returns its tid. */
static int start(int v)
{
    char *argv[] = { guest, NULL };
    int tid = fork();

    if (tid == 0) {
        if (new_console() < 0) {
            printf("guest_hammer: FAILED: new_console for variant %d\n", v);
            exit(1);
        }
        set_cursor_pos(v / 80, v % 80);
        exec(guest, argv);
        printf("guest_hammer: FAILED: exec %s\n", guest);
        exit(1);
    }
    if (tid < 0)
        printf("guest_hammer: FAILED: fork for variant %d: %d\n", v, tid);
    return tid;
}

/* Checks how variant v ended. */
static void judge(int v, int status)
{
    int expected = want[v] == SELF ? v : want[v];

    if (status == expected)
        return;
    printf("guest_hammer: FAILED: %s variant %d ended with status %d, expected %d\n", guest,
           v, status, expected);
    failures++;
}

/* Round 1: every variant alone, with its frames counted. */
static void round_alone(void)
{
    for (int i = 0; i < count; i++) {
        int v = order[i], before = free_frames(), status = 0, tid = start(v), after;
        if (tid < 0 || wait(&status) != tid) {
            failures++;
            continue;
        }
        judge(v, status);
        if ((after = free_frames()) != before) {
            printf("guest_hammer: FAILED: variant %d lost %d frames\n", v, before - after);
            failures++;
        }
    }
}

/* Rounds after the first: par runs at once, a new one started as each ends. */
static void round_together(int par)
{
    int tids[MAX_PAR], vars[MAX_PAR], running = 0, next = 0, status, tid;

    while (next < count || running > 0) {
        while (running < par && next < count) {
            vars[running] = order[next++];
            if ((tids[running] = start(vars[running])) < 0) {
                failures++;
                continue;
            }
            running++;
        }
        if ((tid = wait(&status)) < 0) {
            printf("guest_hammer: FAILED: wait: %d\n", tid);
            failures++;
            return;
        }
        for (int k = 0; k < running; k++) {
            if (tids[k] != tid)
                continue;
            judge(vars[k], status);
            tids[k] = tids[--running];
            vars[k] = vars[running];
            break;
        }
    }
}

static int gcd(int a, int b) { return b ? gcd(b, a % b) : a; }

/* This round's order, as indexes: 0, 1, 2... in round 0; later a rotation walked with a
 * stride that shares no factor with count (so that it visits each once), new neighbours. */
static void shuffle(int round)
{
    int stride = round == 0 ? 1 : 1 + 2 * round;

    while (gcd(stride, count) != 1)
        stride++;
    for (int i = 0; i < count; i++)
        order[i] = (round + i * stride) % count;
}

int main(int argc, char **argv)
{
    int rounds = 2, par = 4, base = 1, before, after, variants[MAX_VARIANT];

    for (; base + 1 < argc && argv[base][0] == '-'; base += 2)
        if (argv[base][1] == 'r')
            rounds = atoi(argv[base + 1]);
        else if (argv[base][1] == 'p')
            par = atoi(argv[base + 1]);
    if (base + 1 >= argc || rounds < 1 || par < 1 || par > MAX_PAR) {
        printf("usage: guest_hammer [-r ROUNDS] [-p PAR (1..%d)] GUEST FIRST[-LAST]=STATUS..."
               "\n", MAX_PAR);
        return 2;
    }
    guest = argv[base];
    for (int v = 0; v <= MAX_VARIANT; v++)
        want[v] = NO_RUN;
    for (int i = base + 1; i < argc; i++)
        if (parse_range(argv[i]) < 0) {
            printf("guest_hammer: FAILED: bad range %s\n", argv[i]);
            return 2;
        }
    for (int v = 1; v <= MAX_VARIANT; v++)
        if (want[v] != NO_RUN)
            variants[count++] = v;
    before = free_frames();
    for (int r = 0; r < rounds; r++) {
        shuffle(r);
        for (int i = 0; i < count; i++)
            order[i] = variants[order[i]];
        if (r == 0)
            round_alone();
        else
            round_together(par);
        after = free_frames();
        printf("guest_hammer: round %d: %d runs %s\n", r + 1, count,
               r == 0 ? "one at a time" : "at once");
        if (after != before) {
            printf("guest_hammer: FAILED: %d frames lost\n", before - after);
            failures++;
        }
    }
    if (failures == 0)
        printf("guest_hammer: ok\n");
    return failures ? 1 : 0;
}
