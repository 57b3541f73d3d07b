/*
 * syscall_packet - a bad argument packet, or a bad pointer in one, is an error, never a kill
 * (doc/syscalls.md 1): "If the kernel cannot read the whole packet the call returns E_FAULT
 * (-3)" and "the caller is never killed for handing the kernel a bad pointer".
 *
 * The library stubs always build a good packet on the stack, so this test makes each call
 * by hand: INT with %esi set to what we choose. For every call that takes a packet (exec,
 * new_pages, readline, print, set_cursor_pos, get_cursor_pos, readfile, swexn, log_print),
 * %esi is, in turn: NULL; kernel memory; the last word below user memory (a packet that
 * starts in the kernel and ends in user memory); an unmapped user page; a wild address; a
 * packet whose first word is the last word of a mapped page; one whose last word only is on
 * the unmapped page after it; one that wraps around 4 GiB. Each must return -3. Where the
 * packet is partly mapped, its mapped words hold a good packet's values, so a kernel that
 * read only those would be seen to act on them.
 *
 * Controls, so that -3 means what we think: the same good packet ending exactly at the end
 * of the mapped page, and one in read-only .rodata (the kernel only reads packets), must
 * work. No call is known to kill for a bad pointer by design, so every call is here.
 *
 * Then the pointers inside a readable packet (get_cursor_pos's row and col, print's and
 * log_print's buf, exec's name and argvec, readfile's name and buf, swexn's newureg) and the
 * single pointer arguments in %esi (wait's status_ptr, deschedule's reject): each bad one is
 * -3, and nothing is written or collected. Each group runs in a child of its own, so a kill
 * is reported by name (status -2) and the test goes on.
 *
 * Order: nothing here may block if the kernel accepted it by mistake (readline's good packet
 * has len 0, which returns at once), except deschedule: a bad reject pointer wrongly read as
 * 0 would sleep for ever, so it comes last (the case's time limit then fails the test).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include "testlib.h"

#define E_FAULT         (-3)
#define E_NOENT         (-4)
#define E_CHILD         (-7)
#define SPARE_PAGE      ((char *)0x30000000)    /* one page of new_pages, nothing after it */
#define SPARE_END       (SPARE_PAGE + PAGE_SIZE)
#define NEW_PAGE        ((char *)0x31000000)    /* what new_pages's good packet maps */
#define MAX_WORDS       4
#define CHILD_KILLED    (-2)                    /* the status of a task the kernel killed */

/*
 * int raw_NAME(unsigned int esi): the system call at `vector` made by hand: %esi is what we
 * pass, the result comes back in %eax. "memory": the kernel may write what %esi points to.
 */
#define RAW_CALL(name, vector)                                                  \
    static int name(unsigned int esi)                                           \
    {                                                                           \
        int r;                                                                  \
        __asm__ volatile("int $" #vector : "=a"(r) : "S"(esi) : "memory");      \
        return r;                                                               \
    }
RAW_CALL(raw_exec, 0x42)
RAW_CALL(raw_wait, 0x44)
RAW_CALL(raw_deschedule, 0x46)
RAW_CALL(raw_new_pages, 0x49)
RAW_CALL(raw_readline, 0x4D)
RAW_CALL(raw_print, 0x4E)
RAW_CALL(raw_set_cursor_pos, 0x50)
RAW_CALL(raw_get_cursor_pos, 0x51)
RAW_CALL(raw_readfile, 0x62)
RAW_CALL(raw_swexn, 0x74)
RAW_CALL(raw_log_print, 0x81)

#define U(p) ((unsigned int)(p))

/* Good targets for the packets' pointers. */
static int cur_row, cur_col;
static char file_buf[64];
static char *const no_args[] = { "no_such_program", NULL };
static const char print_text[] = "syscall_packet: (a good packet printed this)\n";
static const char log_text[] = "syscall_packet: (a good packet logged this)\n";

/* One call that takes a packet, with a packet it accepts and what that returns. */
struct packet_call {
    const char *name;
    int (*call)(unsigned int esi);
    int words;
    unsigned int good[MAX_WORDS];
    int want;
};

/* exec's file does not exist and readline's len is 0: neither runs nor waits, even if a
 * kernel took a bad packet for this one. set_cursor_pos's row and col are set by
 * aim_cursor_packet to where the cursor is, so that its good packet moves nothing. */
static struct packet_call calls[] = {
    { "exec", raw_exec, 2, { U("no_such_program"), U(no_args) }, E_NOENT },
    { "new_pages", raw_new_pages, 2, { U(NEW_PAGE), PAGE_SIZE }, 0 },
    { "readline", raw_readline, 2, { 0, U(file_buf) }, 0 },
    { "print", raw_print, 2, { sizeof print_text - 1, U(print_text) }, 0 },
    { "set_cursor_pos", raw_set_cursor_pos, 2, { 0, 0 }, 0 },
    { "get_cursor_pos", raw_get_cursor_pos, 2, { U(&cur_row), U(&cur_col) }, 0 },
    { "readfile", raw_readfile, 4, { U("hello.txt"), U(file_buf), 16, 0 }, 16 },
    { "swexn", raw_swexn, 4, { 0, 0, 0, 0 }, 0 },
    { "log_print", raw_log_print, 2, { sizeof log_text - 1, U(log_text) }, 0 },
};
#define NCALLS ((int)(sizeof calls / sizeof calls[0]))

/* A packet in read-only memory: print's, made at build time. */
static const unsigned int ro_print_packet[2] = { sizeof print_text - 1, U(print_text) };

/*
 * Puts c's good packet at `at`, as far as it lies in the spare page: the words that would
 * fall past its end are simply not there.
 */
static void place_packet(const struct packet_call *c, char *at)
{
    for (int i = 0; i < c->words; i++) {
        char *w = at + 4 * i;
        if (w >= SPARE_PAGE && w + 4 <= SPARE_END)
            memcpy(w, &c->good[i], 4);
    }
}

/* Undoes what c's good packet did, where that matters for the next call. */
static void undo(const struct packet_call *c, int r)
{
    if (c->call == raw_new_pages && r == 0)
        CHECK_INT(remove_pages(NEW_PAGE), 0);
}

/* c with %esi = at must return `want`; a line names the case if it does not. */
static void expect_result(const struct packet_call *c, const char *what, char *at, int want)
{
    int r = c->call(U(at));

    if (r != want) {
        printf("syscall_packet: FAILED: %s, packet %s (0x%08x): returned %d, expected %d\n",
               c->name, what, U(at), r, want);
        test_failures++;
    }
    undo(c, r);
}

/* Every bad packet address for c, then the controls. */
static void check_packets(const struct packet_call *c)
{
    int bytes = 4 * c->words;
    char *first_word_only = SPARE_END - 4;
    char *last_word_off = SPARE_END - bytes + 4;

    expect_result(c, "NULL", NULL, E_FAULT);
    expect_result(c, "in kernel memory", KERNEL_ADDRESS, E_FAULT);
    expect_result(c, "from the kernel into user memory", (char *)0x00FFFFFC, E_FAULT);
    expect_result(c, "on an unmapped page", test_unmapped_page(), E_FAULT);
    expect_result(c, "wild", WILD_ADDRESS, E_FAULT);
    place_packet(c, first_word_only);
    expect_result(c, "with only its first word mapped", first_word_only, E_FAULT);
    if (last_word_off != first_word_only) {
        place_packet(c, last_word_off);
        expect_result(c, "with only its last word unmapped", last_word_off, E_FAULT);
    }
    expect_result(c, "wrapping around 4 GiB", (char *)0xFFFFFFFC, E_FAULT);

    place_packet(c, SPARE_END - bytes);
    expect_result(c, "ending exactly at the page's end", SPARE_END - bytes, c->want);
}

/*
 * Runs fn in a child and waits for it: the child's status is its number of failures, or -2
 * if the kernel killed it. The child's own lines say what failed; this one says it died.
 */
static void in_child(const char *what, void (*fn)(void))
{
    int pid = fork(), status = 12345;

    if (pid == 0) {
        fn();
        printf("syscall_packet: %s: done, %d failure(s)\n", what, test_failures);
        exit(test_failures);
    }
    if (pid < 0) {
        printf("syscall_packet: FAILED: %s: fork returned %d\n", what, pid);
        test_failures++;
        return;
    }
    CHECK_INT(wait(&status), pid);
    if (status == CHILD_KILLED) {
        printf("syscall_packet: FAILED: %s: the kernel killed the caller\n", what);
        test_failures++;
    } else if (status != 0) {
        test_failures += status;        /* the child printed each one */
    }
}

static int current_call;                /* which calls[] entry the next child checks */

static void packets_child(void)
{
    check_packets(&calls[current_call]);
}

/* get_cursor_pos with a good packet holding bad pointers: -3, and nothing written. */
static void check_cursor_pointers(void)
{
    static char *const bad[] = { NULL, KERNEL_ADDRESS, (char *)0x00FFFFFE, WILD_ADDRESS,
                                 (char *)check_cursor_pointers, SPARE_END - 2,
                                 (char *)0xFFFFFFFE };
    unsigned int packet[2];
    int row, col;

    for (unsigned int i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        row = col = -77;
        packet[0] = U(bad[i]), packet[1] = U(&col);
        if (raw_get_cursor_pos(U(packet)) != E_FAULT || col != -77) {
            printf("syscall_packet: FAILED: get_cursor_pos row pointer 0x%08x: not refused "
                   "cleanly (col %d)\n", U(bad[i]), col);
            test_failures++;
        }
        packet[0] = U(&row), packet[1] = U(bad[i]);
        if (raw_get_cursor_pos(U(packet)) != E_FAULT || row != -77) {
            printf("syscall_packet: FAILED: get_cursor_pos col pointer 0x%08x: not refused "
                   "cleanly (row %d)\n", U(bad[i]), row);
            test_failures++;
        }
    }
}

/* A good packet, one word of it replaced by a bad pointer: the call returns -3. */
static void expect_inner_fault(const struct packet_call *c, int word, char *bad)
{
    unsigned int packet[MAX_WORDS];
    int r;

    memcpy(packet, c->good, sizeof packet);
    packet[word] = U(bad);
    r = c->call(U(packet));
    if (r != E_FAULT) {
        printf("syscall_packet: FAILED: %s, argument %d = 0x%08x: returned %d, expected %d\n",
               c->name, word + 1, U(bad), r, E_FAULT);
        test_failures++;
    }
    undo(c, r);
}

static struct packet_call *find_call(const char *name)
{
    for (int i = 0; i < NCALLS; i++)
        if (strcmp(calls[i].name, name) == 0)
            return &calls[i];
    return NULL;
}

/* The other pointers inside packets: the kernel must refuse each without harm. */
static void inner_child(void)
{
    static char *const unreadable[] = { NULL, KERNEL_ADDRESS, WILD_ADDRESS, SPARE_END - 2,
                                        (char *)0xFFFFFFFE };
    static char *const bad_argv[] = { "no_such_program", KERNEL_ADDRESS, NULL };
    const unsigned int n = sizeof unreadable / sizeof unreadable[0];

    check_cursor_pointers();
    memcpy(SPARE_END - 2, "ab", 2);     /* a string running into the unmapped page */
    for (unsigned int i = 0; i < n; i++) {
        expect_inner_fault(find_call("print"), 1, unreadable[i]);
        expect_inner_fault(find_call("log_print"), 1, unreadable[i]);
        expect_inner_fault(find_call("exec"), 0, unreadable[i]);
        expect_inner_fault(find_call("exec"), 1, unreadable[i]);
        expect_inner_fault(find_call("readfile"), 0, unreadable[i]);
        expect_inner_fault(find_call("readfile"), 1, unreadable[i]);
        if (unreadable[i] != NULL)      /* a NULL newureg means "no registers" */
            expect_inner_fault(find_call("swexn"), 3, unreadable[i]);
    }
    expect_inner_fault(find_call("exec"), 1, (char *)bad_argv);     /* a bad string in it */
    expect_inner_fault(find_call("readfile"), 1, (char *)print_text);  /* read-only buf */
}

/* wait with a bad status pointer: -3 before anything else, and no child is collected. */
static void wait_child(void)
{
    static char *const bad[] = { KERNEL_ADDRESS, (char *)0x00FFFFFE, WILD_ADDRESS,
                                 (char *)wait_child, SPARE_END - 2, (char *)0xFFFFFFFE };
    const unsigned int n = sizeof bad / sizeof bad[0];
    int pid, status = 0;

    for (unsigned int i = 0; i < n; i++)                /* no children at all */
        if (raw_wait(U(bad[i])) != E_FAULT) {
            printf("syscall_packet: FAILED: wait(0x%08x), no children: not -3\n", U(bad[i]));
            test_failures++;
        }
    CHECK_INT(raw_wait(0), E_CHILD);            /* NULL is allowed: "do not store" */
    pid = fork();
    if (pid == 0)
        exit(42);
    CHECK(pid > 0);
    sleep(10);                                  /* the child has likely ended: */
    for (unsigned int i = 0; i < n; i++)        /* it must stay for the good wait */
        if (raw_wait(U(bad[i])) != E_FAULT) {
            printf("syscall_packet: FAILED: wait(0x%08x), one child: not -3\n", U(bad[i]));
            test_failures++;
        }
    CHECK_INT(raw_wait(U(&status)), pid);
    CHECK_INT(status, 42);
}

/* deschedule reads *reject: a bad pointer is -3 (not a sleep); a read-only 1 returns 0. */
static void deschedule_child(void)
{
    static char *const bad[] = { NULL, KERNEL_ADDRESS, (char *)0x00FFFFFE, WILD_ADDRESS,
                                 SPARE_END - 2, (char *)0xFFFFFFFE };
    static const int one = 1;

    CHECK_INT(raw_deschedule(U(&one)), 0);
    for (unsigned int i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (raw_deschedule(U(bad[i])) != E_FAULT) {
            printf("syscall_packet: FAILED: deschedule(0x%08x): not -3\n", U(bad[i]));
            test_failures++;
        }
}

/* set_cursor_pos's good packet: where the cursor is now, so that it moves nothing. */
static void aim_cursor_packet(void)
{
    struct packet_call *c = find_call("set_cursor_pos");

    CHECK_INT(get_cursor_pos(&cur_row, &cur_col), 0);
    c->good[0] = cur_row, c->good[1] = cur_col;
}

int main(void)
{
    int i;

    test_start("syscall_packet");
    CHECK_INT(new_pages(SPARE_PAGE, PAGE_SIZE), 0);
    CHECK_INT(raw_print(U(ro_print_packet)), 0);               /* a read-only packet */

    for (i = 0; i < NCALLS; i++) {
        aim_cursor_packet();            /* output moved the cursor since the last time */
        current_call = i;
        in_child(calls[i].name, packets_child);
    }
    in_child("pointers in packets", inner_child);
    in_child("wait", wait_child);
    in_child("deschedule", deschedule_child);

    CHECK_INT(remove_pages(SPARE_PAGE), 0);
    return test_finish();
}
