/*
 * thr_libc - tests of the rest of the user library: malloc from many threads, lprintf,
 * 64-bit division (libgcc).
 *
 * One program for several tests, to keep the floppy small (the library makes every
 * program about 10 KiB larger); the first argument picks the test:
 *
 *   thr_libc malloc
 *   thr_libc lprintf
 *   thr_libc div64
 *
 * Each test is described where it begins below. A test prints "thr_NAME: ok" when
 * every check passed, and "thr_NAME: FAILED ..." for each one that did not.
 */
#include <malloc.h>
#include <simics.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <thread.h>
#include "testlib.h"
#include "thr_test.h"

/*==== malloc ====*/

/*
 * thr_libc malloc - malloc, calloc, realloc and free from THREADS threads at once.
 *
 * Each thread, ROUNDS times: allocates up to BLOCKS blocks of random sizes (1..MAX_SIZE
 * bytes; malloc, calloc or realloc of an earlier block), fills each with a pattern of its own
 * (thread, block, offset), yields now and then so that the others allocate in between, checks
 * every byte of every block it holds (and that calloc's were zero, that realloc kept the old
 * bytes), then frees them in a random order. A heap that gave one chunk to two threads, or
 * lost its list under contention, shows as a wrong byte, an overlap or a crash.
 *
 * This runs twice. The first time the heap starts small and grows while the threads run
 * (new_pages inside malloc: with misbehave 2 every thread switches there). Then a block of
 * HEAP_PROBE bytes, far more than the threads ever hold at once, is allocated and freed, so
 * that the heap is large enough, and the threads run again. After that the heap must be whole
 * again: every block is free, so a block of HEAP_PROBE bytes is placed where the same request
 * went before the second run (malloc is first fit over an address-ordered free list that
 * merges neighbours: any chunk left over, or not merged, moves it).
 *
 * Why: malloc.h promises that any thread may call these at any time.
 */

#define HEAP_STACK_SIZE      16384
#define HEAP_THREADS         16
#define ROUNDS          20
#define BLOCKS          8
#define MAX_SIZE        3000
#define HEAP_PROBE      (1024 * 1024)   /* the threads hold at most 16 * 8 * 3000 bytes */

static volatile int errors;

static unsigned char pattern(int t, int b, int i)
{
    return (unsigned char)(t * 31 + b * 7 + i + (i >> 8));
}

static void fill(unsigned char *p, int size, int t, int b, int from)
{
    int i;

    for (i = from; i < size; i++)
        p[i] = pattern(t, b, i);
}

/* Counts a wrong byte (once per block); names the first few. */
static int verify(const unsigned char *p, int size, int t, int b, const char *what)
{
    int i;

    for (i = 0; i < size; i++) {
        if (p[i] != pattern(t, b, i)) {
            if (thr_test_add(&errors, 1) < 5)
                printf("thr_malloc: FAILED: thread %d block %d (%s, %d bytes): byte %d is %d,"
                       " expected %d\n", t, b, what, size, i, p[i], pattern(t, b, i));
            return 0;
        }
    }
    return 1;
}

static void fail(int t, const char *what, int size)
{
    if (thr_test_add(&errors, 1) < 5)
        printf("thr_malloc: FAILED: thread %d: %s (%d bytes)\n", t, what, size);
}

static void *heap_user(void *arg)
{
    int t = (int)arg, round, b, n, size[BLOCKS], i, j, k, old;
    unsigned char *block[BLOCKS], *p;
    unsigned int seed = 12345u + (unsigned int)t * 7919u;
    int order[BLOCKS];

    for (round = 0; round < ROUNDS; round++) {
        n = 1 + thr_test_rand(&seed) % BLOCKS;
        for (b = 0; b < n; b++) {
            size[b] = 1 + thr_test_rand(&seed) % MAX_SIZE;
            switch (thr_test_rand(&seed) % 3) {
            case 0:
                block[b] = malloc(size[b]);
                if (block[b])
                    fill(block[b], size[b], t, b, 0);
                break;
            case 1:
                block[b] = calloc(1, size[b]);
                if (block[b]) {
                    for (i = 0; i < size[b] && block[b][i] == 0; i++)
                        continue;
                    if (i < size[b])
                        fail(t, "calloc'd memory not zero", size[b]);
                    fill(block[b], size[b], t, b, 0);
                }
                break;
            default:                    /* grow or shrink a block of our own */
                old = 1 + thr_test_rand(&seed) % MAX_SIZE;
                p = malloc(old);
                if (!p)
                    break;
                fill(p, old, t, b, 0);
                if (b % 2)
                    yield(-1);
                block[b] = realloc(p, size[b]);
                if (!block[b]) {
                    free(p);
                    break;
                }
                verify(block[b], old < size[b] ? old : size[b], t, b, "realloc");
                if (size[b] > old)
                    fill(block[b], size[b], t, b, old);
                break;
            }
            if (!block[b]) {
                fail(t, "allocation failed", size[b]);
                n = b;
                break;
            }
            if ((uintptr_t)block[b] % 8 != 0)
                fail(t, "block not 8-byte aligned", size[b]);
            if (b % 3 == t % 3)
                yield(-1);
        }
        for (b = 0; b < n; b++)
            verify(block[b], size[b], t, b, "held");
        for (b = 0; b < n; b++)
            order[b] = b;
        for (b = n - 1; b > 0; b--) {   /* free in a random order */
            j = thr_test_rand(&seed) % (b + 1);
            k = order[b];
            order[b] = order[j];
            order[j] = k;
        }
        for (b = 0; b < n; b++) {
            free(block[order[b]]);
            if (b == n / 2)
                yield(-1);
        }
    }
    return (void *)t;
}

static void run_threads(void)
{
    int tids[HEAP_THREADS], i;
    void *status;

    for (i = 0; i < HEAP_THREADS; i++)
        CHECK((tids[i] = thr_create(heap_user, (void *)i)) > 0);
    for (i = 0; i < HEAP_THREADS; i++) {
        CHECK_INT(thr_join(tids[i], &status), 0);
        CHECK_INT((int)status, i);
    }
    CHECK_INT(errors, 0);
}

static int heap_main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    void *probe, *again;

    test_start("thr_malloc");
    if (!CHECK(thr_init(HEAP_STACK_SIZE) == 0))
        return 1;
    run_threads();                      /* the heap grows meanwhile */
    printf("thr_malloc: %d threads x %d rounds while the heap grows\n", HEAP_THREADS, ROUNDS);
    probe = malloc(HEAP_PROBE);
    if (!CHECK(probe != NULL))
        return 1;
    free(probe);
    run_threads();
    again = malloc(HEAP_PROBE);
    CHECK(again == probe);              /* every chunk free and merged */
    free(again);
    printf("thr_malloc: %d threads x %d rounds, heap whole again\n", HEAP_THREADS, ROUNDS);
    return test_finish();
}

/*==== lprintf ====*/

/*
 * thr_libc lprintf - lprintf writes one line to the debug log (port 0xE9 and COM1) and nothing
 * to the screen.
 *
 *   - lprintf with a few conversions: the line is in the log (the case expects it).
 *   - the cursor is where it was before each lprintf (get_cursor_pos): nothing was drawn.
 *   - "thr_lprintf: screen [" and "]" are printed around an lprintf: on the screen the two
 *     brackets touch (the case's screenshot shows "[]"); in the log, which has both, the
 *     lprintf line sits between them.
 *   - THREADS threads lprintf LINES lines each at once; then a line longer than lprintf's
 *     buffer (lprintf.c cuts it), which must still end with its newline.
 * Then it waits for a line typed on the keyboard, so that the case can photograph the screen.
 *
 * Why: programs use lprintf for tracing that must not disturb the screen they draw.
 */

#define LOG_STACK_SIZE      8192
#define LOG_THREADS         4
#define LINES           5
#define LONG_LINE       300

static void *logger(void *arg)
{
    int t = (int)arg, i;

    for (i = 0; i < LINES; i++) {
        lprintf("thr_lprintf: thread %d line %d", t, i);
        if (i % 2 == t % 2)
            yield(-1);
    }
    return NULL;
}

static void check_cursor_still(int row, int col)
{
    int r = -1, c = -1;

    CHECK_INT(get_cursor_pos(&r, &c), 0);
    CHECK_INT(r, row);
    CHECK_INT(c, col);
}

static int log_main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    int row, col, i, tids[LOG_THREADS];
    char line[LONG_LINE + 1], buf[16];

    test_start("thr_lprintf");
    if (!CHECK(thr_init(LOG_STACK_SIZE) == 0))
        return 1;
    printf("thr_lprintf: before\n");
    CHECK_INT(get_cursor_pos(&row, &col), 0);
    lprintf("thr_lprintf: to the log only: %d %s %x %c", 42, "words", 0xbeef, '!');
    check_cursor_still(row, col);

    printf("thr_lprintf: screen [");
    CHECK_INT(get_cursor_pos(&row, &col), 0);
    lprintf("thr_lprintf: between the brackets");
    check_cursor_still(row, col);
    printf("]\n");

    for (i = 0; i < LOG_THREADS; i++)
        CHECK((tids[i] = thr_create(logger, (void *)i)) > 0);
    for (i = 0; i < LOG_THREADS; i++)
        CHECK_INT(thr_join(tids[i], NULL), 0);

    for (i = 0; i < LONG_LINE; i++)
        line[i] = (char)('a' + i % 26);
    line[LONG_LINE] = '\0';
    CHECK_INT(get_cursor_pos(&row, &col), 0);
    lprintf("thr_lprintf: long %s end", line);
    check_cursor_still(row, col);

    printf("thr_lprintf: waiting for a line\n");
    readline(sizeof buf, buf);
    return test_finish();
}

/*==== div64 ====*/

/*
 * thr_libc div64 - 64-bit division and remainder (libgcc's __udivdi3, __umoddi3, __divdi3,
 * __moddi3), which every program now links.
 *
 * Each row of the tables gives a, b and the exact a / b and a % b (worked out apart from this
 * program); the operands pass through volatile variables so that the compiler cannot work
 * them out itself. Signed rows cover every sign combination and INT64_MIN: C rounds the
 * quotient toward zero and the remainder takes the sign of a. For every row q * b + r == a
 * too. The unsigned rows include divisors above 32 bits, where the slow path runs.
 *
 * Why: 15-410 programs divide 64-bit numbers (time stamps, checksums); without libgcc they
 * would not link, and a wrong helper would give wrong answers quietly.
 */

struct urow { uint64_t a, b, q, r; };
struct srow { int64_t a, b, q, r; };

#define U(a, b, q, r) { a, b, q, r }
#define S(a, b, q, r) { a, b, q, r }

static const struct urow urows[] = {
    U(0xffffffffffffffffULL, 0x0000000000000003ULL, 0x5555555555555555ULL, 0x0ULL),
    U(0xffffffffffffffffULL, 0x0000000100000001ULL, 0x00000000ffffffffULL, 0x0ULL),
    U(0x0de0b6b3a7640000ULL, 0x000000003b9aca07ULL, 0x000000003b9ac9f9ULL, 0x31ULL),
    U(0x123456789abcdef0ULL, 0x0000000000001000ULL, 0x000123456789abcdULL, 0xef0ULL),
    U(0x8000000000000000ULL, 0x0000000000000007ULL, 0x1249249249249249ULL, 0x1ULL),
    U(0x002bdc545d6b4b87ULL, 0x000000000000000aULL, 0x000462d53c8abac0ULL, 0x7ULL),
    U(0xffffffffffffffffULL, 0xffffffffffffffffULL, 0x1ULL, 0x0ULL),
    U(0x0000000000000005ULL, 0x0000010000000000ULL, 0x0ULL, 0x5ULL),
    U(0xdeadbeefcafebabeULL, 0x00000000feedfaceULL, 0x00000000df9d199eULL, 0xf449d19aULL),
    U(0x0000010000000011ULL, 0x00000001ffffffffULL, 0x80ULL, 0x91ULL),
};

static const struct srow srows[] = {
    S(-7LL, 2LL, -3LL, -1LL),
    S(7LL, -2LL, -3LL, 1LL),
    S(-7LL, -2LL, 3LL, -1LL),
    S(INT64_MIN, 1LL, INT64_MIN, 0LL),
    S(INT64_MIN, 3LL, -3074457345618258602LL, -2LL),
    S(INT64_MAX, -10LL, -922337203685477580LL, 7LL),
    S(-1000000000000000000LL, 1000000007LL, -999999993LL, -49LL),
    S(-123456789012345LL, -1000LL, 123456789012LL, -345LL),
    S(-1LL, 1099511627776LL, 0LL, -1LL),
    S(-1099511627781LL, 4294967296LL, -256LL, -5LL),
};

#define ROWS(t) ((int)(sizeof(t) / sizeof((t)[0])))

static void show_failure(const char *what, int row, uint64_t got, uint64_t want)
{
    printf("thr_div64: FAILED: %s row %d: got 0x%08x%08x, expected 0x%08x%08x\n", what, row,
           (unsigned int)(got >> 32), (unsigned int)got, (unsigned int)(want >> 32),
           (unsigned int)want);
    test_failures++;
}

static int div_main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    volatile uint64_t ua, ub;
    volatile int64_t sa, sb;
    uint64_t uq, ur;
    int64_t sq, sr;
    int i;

    test_start("thr_div64");
    for (i = 0; i < ROWS(urows); i++) {
        ua = urows[i].a;
        ub = urows[i].b;
        uq = ua / ub;
        ur = ua % ub;
        if (uq != urows[i].q)
            show_failure("unsigned /", i, uq, urows[i].q);
        if (ur != urows[i].r)
            show_failure("unsigned %", i, ur, urows[i].r);
        if (uq * ub + ur != ua)
            show_failure("unsigned q * b + r", i, uq * ub + ur, ua);
    }
    for (i = 0; i < ROWS(srows); i++) {
        sa = srows[i].a;
        sb = srows[i].b;
        sq = sa / sb;
        sr = sa % sb;
        if (sq != srows[i].q)
            show_failure("signed /", i, (uint64_t)sq, (uint64_t)srows[i].q);
        if (sr != srows[i].r)
            show_failure("signed %", i, (uint64_t)sr, (uint64_t)srows[i].r);
        if ((uint64_t)sq * (uint64_t)sb + (uint64_t)sr != (uint64_t)sa)
            show_failure("signed q * b + r", i, (uint64_t)sq * (uint64_t)sb + (uint64_t)sr,
                         (uint64_t)sa);
    }
    printf("thr_div64: %d unsigned and %d signed divisions\n", ROWS(urows), ROWS(srows));
    return test_finish();
}

/*==== Picking the test ====*/

static const struct thr_test tests[] = {
    { "malloc", heap_main },
    { "lprintf", log_main },
    { "div64", div_main },
};

int main(int argc, char **argv)
{
    return thr_test_main("thr_libc", tests, sizeof tests / sizeof tests[0], argc, argv);
}
