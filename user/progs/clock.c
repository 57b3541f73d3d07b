/*
 * clock [SECONDS] - shows the time since boot, redrawn in place once a second, for SECONDS
 * seconds (default 10).
 *
 * Time comes from get_ticks(), which counts timer interrupts. The kernel's timer runs at 100
 * ticks a second by default, and this program assumes so: under misbehave(1) (1 ms ticks)
 * the clock runs ten times too fast.
 *
 * The line is redrawn where it was first drawn: get_cursor_pos() says where that is and
 * set_cursor_pos() goes back there. Each redraw also starts with '\r', so a terminal on COM1,
 * which does not see cursor moves, overwrites the line too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <syscall.h>

#define TICKS_PER_SECOND        100     /* kernel.c's default timer rate */
#define SECONDS_DEFAULT         10

/* Draws "time since boot: H:MM:SS" at the start of `row`. */
static void draw_time(int row, unsigned int ticks)
{
    unsigned int seconds = ticks / TICKS_PER_SECOND;

    set_cursor_pos(row, 0);
    printf("\rtime since boot: %u:%02u:%02u", seconds / 3600, seconds / 60 % 60, seconds % 60);
}

/* Sleeps until the tick count reaches `when` (sleep() may return a little late, not early). */
static void sleep_until(unsigned int when)
{
    unsigned int now = get_ticks();

    if (when > now)
        sleep((int)(when - now));
}

int main(int argc, char **argv)
{
    int seconds = argc > 1 ? atoi(argv[1]) : SECONDS_DEFAULT;
    unsigned int next;
    int row, col, i;

    if (seconds < 0) {
        printf("usage: clock [SECONDS]\n");
        return 1;
    }
    if (get_cursor_pos(&row, &col) == 0 && col != 0)
        printf("\n");                   /* start on a line of our own */
    get_cursor_pos(&row, &col);
    next = get_ticks();
    for (i = 0; i <= seconds; i++) {
        draw_time(row, get_ticks());
        if (i == seconds)
            break;
        next = (next / TICKS_PER_SECOND + 1) * TICKS_PER_SECOND;  /* the next whole second */
        sleep_until(next);
    }
    printf("\n");
    return 0;
}
