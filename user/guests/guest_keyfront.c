/*
 * guest_keyfront - key events go only to the guest whose console is in front
 * (doc/syscalls.md 16, 10).
 *
 * tests/cases/guest_keyfront.t runs two of these on consoles 2 and 3 (guest_pair -c: 3 is in
 * front), types "three" and Enter, then Alt+F2 and "two" and Enter. Each guest collects the
 * printable characters it is given up to Enter, prints "guest_keyfront: got TEXT" and exits.
 * If a key reached both guests, or the wrong one, "got two" never appears: the guest of
 * console 2 would have ended with "three" already, or still be waiting for its Enter.
 */
#include "guest.h"

static volatile uint32_t events[64], head;

static void on_key(struct trap_frame *f)
{
    if (head < 64)
        events[head++] = f->error;
}

int main(void)
{
    char text[64];
    uint32_t n = 0, tail = 0, start;

    guest_name = "guest_keyfront";
    trap_install(SLOT_KEYBOARD, on_key, 1);
    timer_start();                              /* counts ticks: the time-out */
    printf("guest_keyfront: waiting for a line\n");
    start = timer_ticks;
    for (;;) {
        if (timer_ticks - start > 100000)
            guest_fail("no Enter for 1000 seconds of its time");
        if (tail == head)
            continue;
        uint32_t e = events[tail++];
        if (!(e & KEY_PRESS) || !(e & KEY_CHAR_VALID))
            continue;
        if (KEY_CHAR(e) == '\n')
            break;
        if (KEY_CHAR(e) >= ' ' && KEY_CHAR(e) < 0x7F && n < sizeof text - 1)
            text[n++] = (char)KEY_CHAR(e);
    }
    text[n] = '\0';
    hv_disable_interrupts();
    printf("guest_keyfront: got %s\n", text);
    return 0;
}
