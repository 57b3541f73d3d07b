/*
 * guest_keys - key events through slot 0x21 (doc/syscalls.md 16, "Key events").
 *
 * tests/cases/guest_keys.t types on the PS/2 keyboard while this guest's console is in
 * front. First, with interrupts disabled for two emulated seconds, `q` and `w` are typed:
 * their events must wait, and be delivered in order once interrupts are enabled, the first
 * at the instruction after hv_enable_interrupts's INT 0xDE (if the typist was quick enough to
 * type before the guest enabled: said, not checked). Then `aB1`, the up arrow and Enter: every
 * key gives a press (flag 0x1) and a release event; `B` comes with shift held in the modifier
 * byte and `b` as its unshifted character; the arrow is 0x81; the shift key itself is 0x89.
 * The guest prints the characters of the press events and checks presses and releases pair.
 */
#include "guest.h"

#define QUEUE 64

static volatile uint32_t events[QUEUE], event_eip[QUEUE];
static volatile uint32_t head, tail;

static void on_key(struct trap_frame *f)
{
    if (head - tail < QUEUE) {
        event_eip[head % QUEUE] = f->eip;
        events[head++ % QUEUE] = f->error;
    }
    CHECK_EQ(f->marker, MARK_KERNEL);
    CHECK_EQ(f->cr2, 0);
}

/* The next event (spinning with interrupts on); 0 after 1000 seconds of its own time with
 * nothing (Bochs's emulated clock runs far ahead of the typist while the guest spins). */
static uint32_t next_event(uint32_t *eip)
{
    uint32_t t = timer_ticks, e;

    while (head == tail)
        if (timer_ticks - t > 100000)
            return 0;
    e = events[tail % QUEUE];
    *eip = event_eip[tail % QUEUE];
    tail++;
    return e;
}

/* Collects events until the press of Enter; returns the printable characters pressed. */
static void read_line(char *text, int size)
{
    int n = 0, presses = 0, releases = 0, shift_seen = 0;
    uint32_t e, eip;

    for (;;) {
        e = next_event(&eip);
        if (!e)
            guest_fail("no key event for 1000 seconds of its time");
        CHECK(e & KEY_CHAR_VALID);
        if (KEY_CHAR(e) == KEY_LSHIFT || KEY_CHAR(e) == KEY_LSHIFT + 1) {
            shift_seen = 1;
            continue;
        }
        if (!(e & KEY_PRESS)) {
            releases++;
            continue;
        }
        presses++;
        if (KEY_CHAR(e) == 'B') {
            CHECK(KEY_MODS(e) & MOD_SHIFT);
            CHECK(e & KEY_UNSH_VALID);
            CHECK_EQ(KEY_UNSHIFTED(e), 'b');
        }
        if (KEY_CHAR(e) == 'a')
            CHECK_EQ(KEY_MODS(e) & MOD_SHIFT, 0);
        if (KEY_CHAR(e) == '\n')
            break;
        if (KEY_CHAR(e) == KEY_UP) {
            n += snprintf(text + n, size - n, "<up>");
            continue;
        }
        if (KEY_CHAR(e) >= ' ' && KEY_CHAR(e) < 0x7F && n < size - 1)
            text[n++] = (char)KEY_CHAR(e);
    }
    text[n] = '\0';
    /* Enter's release may still come; everything before it is paired. */
    CHECK_EQ(releases, presses - 1);
    CHECK(shift_seen);
}

int main(void)
{
    char text[64];
    uint32_t e, eip, cycles;

    guest_name = "guest_keys";
    trap_install(SLOT_KEYBOARD, on_key, 1);
    timer_start();
    cycles = timer_calibrate(10);
    if (!cycles)
        guest_fail("no timer ticks");

    hv_disable_interrupts();
    printf("guest_keys: interrupts off, type q and w\n");
    spin_cycles(200 * cycles);                  /* two seconds of emulated time */
    CHECK_EQ(head, 0);
    hv_enable_interrupts();
    if (head > 0)
        printf("guest_keys: held %d events, the first delivered %s\n", (int)head,
               event_eip[0] == (uint32_t)hv_enable_interrupts_after ? "at once" : "late");
    for (int i = 0; i < 4; i++) {               /* q pressed, released; w the same */
        e = next_event(&eip);
        CHECK_EQ(KEY_CHAR(e), i < 2 ? 'q' : 'w');
        CHECK_EQ(e & KEY_PRESS, i % 2 ? 0 : KEY_PRESS);
    }
    printf("guest_keys: got q and w, type the line\n");
    read_line(text, sizeof text);
    printf("guest_keys: typed %s\n", text);
    hv_disable_interrupts();
    return guest_finish();
}
