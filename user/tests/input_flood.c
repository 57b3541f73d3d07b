/*
 * input_flood - thousands of characters typed while nobody reads (doc/syscalls.md 11): the
 * console keeps exactly the first 256 of them, drops the rest (the debug log says how many,
 * checked by the .t file), and input works as before afterwards.
 *
 *   input_flood keys N      the .t file types "1 2 3 ... N " on the keyboard
 *   input_flood serial N    it sends N blocks of text and binary garbage on COM1 (below)
 *
 * How: a gate child takes console 2 (keyin.h). The harness brings console 1 back (Alt+F1) and
 * types "k", which our getchar takes: from then on console 1 is surely in front, and this task
 * only waits (in wait(), for the gate child) while the flood comes in. Then it types "go" on
 * console 2; once the gate child has it, getchar takes console 1's 256 characters, each
 * compared with what the flood's first characters must have become, and a readline must then
 * get a line typed (or sent) afterwards and nothing else: the dropped characters are gone.
 * After the COM1 flood a line typed on the keyboard must come through as well.
 *
 * The serial flood, block b = 0 .. N-1: "%04u:" (the block's number), eight garbage bytes
 * (garbage() below: every byte value turns up, ESC, '[', '\r', DEL and NUL included), then
 * "\r\n". The kernel translates COM1 bytes as the contract says (serial_model() follows it
 * rule by rule); tests/data/mkflood.py writes the .t files' lines from the same formulas.
 */
#include "testlib.h"
#include "keyin.h"

#define KEPT            256             /* what a console's input ring holds */
#define GARBAGE         8               /* garbage bytes per serial block */
#define FLOOD_MAX       4096            /* characters of the flood the model computes */
/*
 * Keys the emulator may lose on the way: the harness hands Bochs keys in batches and checks
 * that Bochs took them, not that the guest read them, so a host too busy to run Bochs for a
 * while overfills its 16-byte keyboard buffer (seen once in a loaded run: one space gone).
 * The serial case, whose bytes cannot be lost, checks every character and the count exactly.
 */
#define KEYS_LOST       3

static unsigned char want[FLOOD_MAX];   /* the flood as readers must see it */
static int wanted;                      /* how many characters of want[] are filled in */

/* Appends one character a reader must get (beyond FLOOD_MAX they are not needed). */
static void expect_char(int c)
{
    if (wanted < FLOOD_MAX)
        want[wanted] = (unsigned char)c;
    wanted++;
}

/* The keyboard flood: the numbers 1 to n, each followed by a space. */
static void keys_model(int n)
{
    char num[16];

    for (int i = 1; i <= n && wanted < FLOOD_MAX; i++) {
        snprintf(num, sizeof num, "%d ", i);
        for (char *p = num; *p; p++)
            expect_char(*p);
    }
}

/* Garbage byte k of block b: a pattern whose blocks together hit every value 0..255. */
static unsigned char garbage(int b, int k)
{
    return (unsigned char)(b * 37 + k * 101 + (b >> 3) * 11);
}

/* One raw COM1 byte through the contract's translation (doc/syscalls.md 11). */
static void serial_model_byte(unsigned char b)
{
    static const int arrows[4] = { KEY_UP, KEY_DOWN, KEY_RIGHT, KEY_LEFT };
    static int esc, last_cr;            /* esc: 1 after ESC, 2 after ESC [ */
    int cr_pair = last_cr && b == '\n';

    last_cr = b == '\r';
    if (esc == 2) {                     /* ESC [ x: an arrow, or dropped whole */
        esc = 0;
        if (b >= 'A' && b <= 'D')
            expect_char(arrows[b - 'A']);
        return;
    }
    if (esc == 1) {                     /* ESC then not '[': the ESC, then b as usual */
        esc = b == '[' ? 2 : 0;
        if (esc)
            return;
        expect_char(KEY_ESC);
    }
    if (b == KEY_ESC)
        esc = 1;
    else if (!cr_pair)
        expect_char(b == '\r' ? '\n' : b == 0x7F ? '\b' : b);
}

/* The serial flood of n blocks, raw, through the translation. */
static void serial_model(int n)
{
    char head[8];

    for (int b = 0; b < n && wanted < FLOOD_MAX; b++) {
        snprintf(head, sizeof head, "%04d:", b);
        for (char *p = head; *p; p++)
            serial_model_byte((unsigned char)*p);
        for (int k = 0; k < GARBAGE; k++)
            serial_model_byte(garbage(b, k));
        serial_model_byte('\r');
        serial_model_byte('\n');
    }
}

/*
 * getchar must give the first KEPT characters of the flood, in order. `may_lose` of the
 * flood's characters may be missing among them (each skipped in want[]): keys that the
 * emulator dropped before the kernel saw them (see KEYS_LOST).
 */
static void check_kept(int may_lose)
{
    int lost = 0;

    for (int i = 0, w = 0; i < KEPT; i++, w++) {
        int c = getchar();
        while (c != want[w] && lost < may_lose && w + 1 < wanted && w + 1 < FLOOD_MAX)
            w++, lost++;
        if (c != want[w]) {
            printf("input_flood: FAILED: character %d is 0x%x, expected 0x%x\n", i, c,
                   want[w]);
            test_failures++;
            return;                     /* the rest would only repeat the news */
        }
    }
    if (lost)
        printf("input_flood: %d key(s) never reached the kernel\n", lost);
}

int main(int argc, char **argv)
{
    int serial, n, gate;

    test_start("input_flood");
    if (argc != 3 || (strcmp(argv[1], "keys") && strcmp(argv[1], "serial"))
        || (n = atoi(argv[2])) <= 0) {
        printf("usage: input_flood keys|serial N\n");
        return 2;
    }
    serial = argv[1][0] == 's';
    if (serial)
        serial_model(n);
    else
        keys_model(n);
    if (wanted < KEPT) {
        printf("input_flood: FAILED: a flood of %d characters cannot fill the ring\n", wanted);
        return 1;
    }
    gate = gate_start();
    CHECK_GETCHAR('k');                         /* typed once console 1 is in front again */
    printf("input_flood: console 1 is in front, flood it\n");
    if (gate_finish(gate) == 0) {
        printf("input_flood: reading now\n");
        check_kept(serial ? 0 : KEYS_LOST);
        printf("input_flood: kept the first %d, %s one more line%s\n", KEPT,
               serial ? "send" : "type", serial ? " on COM1" : "");
        CHECK_READ(KEYIN_MAX, "after\n");       /* nothing of the dropped ones is left */
        if (serial) {                           /* and the keyboard still works too */
            printf("input_flood: and type one\n");
            CHECK_READ(KEYIN_MAX, "keys too\n");
        }
    }
    return test_finish();
}
