/*
 * input_full - a console keeps at most 256 characters that nobody has read yet; the ones
 * that come after are dropped, and the kernel says how many in the debug log when a reader
 * next takes a character ("kernel: console 1: input full, 44 characters dropped"). Exactly
 * the first 256 are kept, and input works as before afterwards.
 *
 * How: a gate child takes console 2 (keyin.h). The harness brings console 1 back (Alt+F1) and
 * types "k", which our getchar takes: from then on console 1 is surely in front. It sends 300
 * characters on COM1 (the fastest way in), then types "go" on console 2. When the gate child
 * has its "go", readline gets what console 1 kept, then a line typed after it.
 */
#include "testlib.h"
#include "keyin.h"

#define SENT    300                     /* characters the .t file sends: 'a' + i % 26 */
#define KEPT    256                     /* what the ring holds */

int main(void)
{
    char want[KEPT + 2];
    int gate;

    test_start("input_full");
    for (int i = 0; i < KEPT; i++)
        want[i] = (char)('a' + i % 26);
    want[KEPT] = '\n';
    want[KEPT + 1] = '\0';

    gate = gate_start();
    CHECK_GETCHAR('k');                         /* typed once console 1 is in front again */
    printf("input_full: console 1 is in front, send %d characters\n", SENT);
    if (gate_finish(gate) == 0) {
        printf("input_full: reading now\n");
        CHECK_READ(KEYIN_MAX, want);            /* the first 256, then the Enter typed now */
        printf("input_full: type one more line\n");
        CHECK_READ(KEYIN_MAX, "after\n");       /* nothing of the dropped ones is left */
    }
    return test_finish();
}
