/*
 * readline_errors - readline's errors (doc/syscalls.md 7): len < 0 or > 4096 is -2 (E_INVAL);
 * a buf not writable for len bytes is -3 (E_FAULT): NULL, kernel memory, a range crossing
 * from the kernel into user space, read-only text and rodata, unmapped memory, a range that
 * runs into unmapped memory or wraps around. len 0 returns 0 at once.
 *
 * Every error comes back at once, before readline waits for anything: with nothing typed,
 * and while another thread's readline holds the console's turn. A watchdog thread fails the
 * test if one of these calls blocks. Nothing typed is lost by a failed call: characters in
 * the input ring and the rest of a line half delivered both reach the next good readline.
 */
#include "testlib.h"
#include "keyin.h"
#include <thread_spawn.h>

#define E_INVAL         (-2)
#define E_FAULT         (-3)
#define SPARE_PAGE      ((char *)0x30000000)    /* one page of new_pages, nothing after it */
#define STACK_SIZE      (16 * 1024)
#define WATCH_LIMIT     200                     /* ticks a batch of bad calls may take */
#define WATCH_STEP      10

static char buf[4096];

/* Each call must fail at once without touching the console's input. */
static void bad_calls(void)
{
    CHECK_INT(readline(-1, buf), E_INVAL);
    CHECK_INT(readline(-2147483647 - 1, buf), E_INVAL);
    CHECK_INT(readline(4097, buf), E_INVAL);
    CHECK_INT(readline(100000, buf), E_INVAL);
    CHECK_INT(readline(10, NULL), E_FAULT);
    CHECK_INT(readline(10, KERNEL_ADDRESS), E_FAULT);
    CHECK_INT(readline(8, (char *)0x00fffffc), E_FAULT);   /* kernel into user space */
    CHECK_INT(readline(10, (char *)bad_calls), E_FAULT);    /* read-only text */
    CHECK_INT(readline(4, (char *)"abc"), E_FAULT);         /* read-only rodata */
    CHECK_INT(readline(10, WILD_ADDRESS), E_FAULT);
    CHECK_INT(readline(16, test_unmapped_page() - 8), E_FAULT);
    CHECK_INT(readline(4096, SPARE_PAGE + 8), E_FAULT);     /* past the page's end */
    CHECK_INT(readline(32, (char *)0xfffffff0), E_FAULT);   /* wraps around */
    CHECK_INT(readline(0, buf), 0);
}

/* The watchdog: a batch of bad calls that has not ended WATCH_LIMIT ticks after it began has
 * blocked, which it must not. (Only batches are watched: the time waiting for typing is not,
 * because an idle emulator lets its clock run ahead.) */
static volatile int watch_since, watching, finished;
static char watch_stack[STACK_SIZE] __attribute__((aligned(16)));

static void watchdog(void *unused)
{
    (void)unused;
    while (!finished) {
        sleep(WATCH_STEP);
        if (watching && (int)get_ticks() - watch_since > WATCH_LIMIT) {
            printf("readline_errors: FAILED: a bad readline blocked\n");
            exit(1);
        }
    }
}

static void watched_bad_calls(void)
{
    watch_since = (int)get_ticks();
    watching = 1;
    bad_calls();
    watching = 0;
}

/* A reader that holds the turn while main makes bad calls. */
static char reader_stack[STACK_SIZE] __attribute__((aligned(16)));
static char reader_buf[64];
static int reader_n;

static void reader(void *unused)
{
    (void)unused;
    reader_n = readline(sizeof reader_buf, reader_buf);
}

/* Bad calls between good ones lose nothing: not the ring, not the rest of a line. */
static void read_typed_ahead(void)
{
    char *edge = SPARE_PAGE + PAGE_SIZE - 4;    /* the last 4 bytes before unmapped memory */
    int n;

    printf("readline_errors: reading\n");
    watched_bad_calls();
    n = readline(4, edge);
    keyin_compare("readline(4) into a page's last bytes", edge, n, "keep", __LINE__);
    watched_bad_calls();
    CHECK_READ(100, " this line\n");
    watched_bad_calls();
    n = readline(4096, buf);
    keyin_compare("readline(4096)", buf, n, "and this\n", __LINE__);
}

int main(void)
{
    int gate, watch, other;

    test_start("readline_errors");
    CHECK_INT(new_pages(SPARE_PAGE, PAGE_SIZE), 0);
    gate = gate_start();                        /* fork before there are threads */
    watch = thread_spawn(watch_stack + STACK_SIZE, watchdog, NULL);
    CHECK(watch > 0);
    watched_bad_calls();                        /* nothing typed yet */
    if (gate_finish(gate) == 0)                 /* two lines typed ahead on console 1 */
        read_typed_ahead();
    other = thread_spawn(reader_stack + STACK_SIZE, reader, NULL);
    CHECK(other > 0);
    sleep(10);                                  /* the reader now holds the turn */
    watched_bad_calls();
    printf("readline_errors: bad calls done while another reads, type a line\n");
    thread_gone(other);
    keyin_compare("the other thread's readline", reader_buf, reader_n, "last line\n", __LINE__);
    finished = 1;
    thread_gone(watch);
    return test_finish();
}
