/*
 * philosophers [N [SECONDS]] - the dining philosophers, live on the screen.
 *
 * N philosophers (default 5, 2..16) sit round a table with one fork between each pair of
 * neighbours; each needs both forks next to it to eat. Each philosopher is a thread
 * (thr_create) that thinks, grows hungry, picks up its two forks, eats and puts them down
 * again, for random times (sleep). Each fork is a mutex. The screen shows the table: every
 * philosopher's state (thinking blue, hungry red, eating green) and meal count, and every fork
 * with who holds it ("f3 #2": fork 3 is in philosopher 2's hand).
 *
 * Deadlock: if everyone took the left fork first, all could hold one fork and wait for ever
 * for the other. Here each philosopher takes the lower-numbered of its two forks first. The
 * highest fork is then only ever taken second, by someone who already holds the other fork
 * and so starts eating at once: a circle of waiting philosophers cannot close. Starvation:
 * only two philosophers ever want a fork, and a mutex goes to its waiters in the order they
 * came, so a hungry philosopher waits for at most one meal of each neighbour.
 *
 * It runs until a key is pressed, or for SECONDS seconds, then tells every philosopher to
 * leave (a flag they check between naps), joins every thread and prints one line:
 *
 *     philosophers: 5 ate 123 meals, fewest 20, most 29
 *
 * After a run of 5 s (FAIR_SECONDS) or more, a philosopher who never ate is a failure: the
 * line "philosophers: FAILED: #3 never ate in 10 s" and status 1.
 *
 * Try `philosophers`, `philosophers 16` or `philosophers 7 30` at the shell; `./build.sh run
 * philosophers 5 3` runs it headless, where the console copy shows the labels as drawn.
 * Times are counted in timer ticks, assumed 100 a second (misbehave(1)'s 1 ms ticks make
 * everything ten times faster).
 */
#include <mutex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include <thread.h>

#define COUNT_DEFAULT   5
#define COUNT_MIN       2
#define COUNT_MAX       16
#define TICKS_PER_SECOND 100            /* kernel.c's default timer rate */
#define STACK_SIZE      (16 * 1024)     /* printf keeps a 1 KiB buffer on the stack */
#define NAP_TICKS       10              /* sleep in slices this long, to notice the stop flag */
#define THINK_MIN       20              /* ticks of thinking, eating: random in these ranges */
#define THINK_MAX       100
#define EAT_MIN         20
#define EAT_MAX         80
#define FAIR_SECONDS    5               /* long enough that everyone should have eaten */

/* The screen: the table is drawn round the centre of rows 2..21; rows 22..24 stay free for
 * the summary and the shell's prompt after it, so nothing scrolls. */
#define CENTER_ROW      11
#define CENTER_COL      40
#define SEAT_RADIUS_ROWS 9              /* philosophers on an ellipse: text cells are about */
#define SEAT_RADIUS_COLS 30             /* twice as tall as wide, so it looks round */
#define FORK_RADIUS_ROWS 5              /* forks on a smaller one, between the seats */
#define FORK_RADIUS_COLS 20
#define SEAT_WIDTH      10              /* "#15 hungry" / "ate 1234" */
#define FORK_WIDTH      8               /* "f15 free" / "f15 #14" */
#define LAST_ROW        24
#define LAST_COL        79

#define COLOR_TEXT      (FGND_LGRAY | BGND_BLACK)
#define COLOR_TITLE     (FGND_WHITE | BGND_BLACK)
#define COLOR_FORK_FREE (FGND_DGRAY | BGND_BLACK)
#define COLOR_FORK_HELD (FGND_YLLW | BGND_BLACK)

enum state { THINKING, HUNGRY, EATING, GONE };

static const char *const state_name[] = { "thinks", "hungry", "eating", "left" };
static const int state_color[] = {
    FGND_WHITE | BGND_BLUE, FGND_WHITE | BGND_RED, FGND_WHITE | BGND_GREEN, COLOR_TEXT,
};

struct philosopher {
    int id;
    int tid;
    enum state state;                   /* changed under the screen lock: it is drawn */
    int meals;
    unsigned int seed;                  /* this thread's own random numbers (rand() is shared) */
    int row, col;                       /* top left of the two-line label */
};

struct fork {
    mutex_t lock;                       /* held by whoever has the fork in hand */
    int holder;                         /* that philosopher's id, or -1; drawn */
    int row, col;
};

static struct philosopher seats[COUNT_MAX];
static struct fork forks[COUNT_MAX];
static int count;                       /* philosophers at the table */
static volatile int stopping;           /* set once: everybody leave the table */
static volatile int key_done;           /* the key thread got its key (or an error) */

/*
 * The drawing lock. A label is drawn with three calls (cursor, colour, text); two threads
 * drawing at once would send one's text to the other's place. It is always the last lock
 * taken (a philosopher may hold forks while drawing, never the reverse), so it cannot be part
 * of a deadlock.
 */
static mutex_t screen;

/*==== Drawing (every function here runs with the screen lock held) ====*/

static void put_at(int row, int col, int color, const char *text)
{
    set_cursor_pos(row, col);
    set_term_color(color);
    print(strlen(text), (char *)text);
}

/* Text padded to `width` with spaces, so a shorter text covers a longer one's tail. */
static void put_padded(int row, int col, int color, int width, const char *text)
{
    char buf[32];

    snprintf(buf, sizeof buf, "%-*s", width, text);
    put_at(row, col, color, buf);
}

static void draw_seat(const struct philosopher *p)
{
    char text[32];
    int color = state_color[p->state];

    snprintf(text, sizeof text, "#%d %s", p->id, state_name[p->state]);
    put_padded(p->row, p->col, color, SEAT_WIDTH, text);
    snprintf(text, sizeof text, "ate %d", p->meals);
    put_padded(p->row + 1, p->col, color, SEAT_WIDTH, text);
}

static void draw_fork(const struct fork *f, int id)
{
    char text[32];

    if (f->holder < 0) {
        snprintf(text, sizeof text, "f%d free", id);
        put_padded(f->row, f->col, COLOR_FORK_FREE, FORK_WIDTH, text);
    } else {
        snprintf(text, sizeof text, "f%d #%d", id, f->holder);
        put_padded(f->row, f->col, COLOR_FORK_HELD, FORK_WIDTH, text);
    }
}

/* The middle of the table: time so far and meals so far. */
static void draw_center(unsigned int ticks)
{
    char text[32];
    int i, meals = 0;

    for (i = 0; i < count; i++)
        meals += seats[i].meals;
    snprintf(text, sizeof text, "%u s", ticks / TICKS_PER_SECOND);
    put_padded(CENTER_ROW, CENTER_COL - 6, COLOR_TITLE, 12, text);
    snprintf(text, sizeof text, "%d meals", meals);
    put_padded(CENTER_ROW + 1, CENTER_COL - 6, COLOR_TITLE, 12, text);
}

/* Parks the hardware cursor in the corner, so it does not blink inside a label. */
static void screen_unlock(void)
{
    set_cursor_pos(LAST_ROW, LAST_COL);
    mutex_unlock(&screen);
}

/* Blanks every row but the last: a print into the last cell would scroll the screen. */
static void clear_screen(void)
{
    static char blanks[LAST_ROW * (LAST_COL + 1)];

    memset(blanks, ' ', sizeof blanks);
    set_term_color(COLOR_TEXT);
    set_cursor_pos(0, 0);
    print(sizeof blanks, blanks);
}

static void draw_title(int seconds)
{
    char text[80];
    int s;

    snprintf(text, sizeof text, "Dining philosophers: %d at the table, %s", count,
             seconds > 0 ? "for" : "until a key is pressed");
    put_at(0, 0, COLOR_TITLE, text);
    if (seconds > 0) {
        snprintf(text, sizeof text, " %d s or until a key is pressed", seconds);
        print(strlen(text), text);
    }
    put_at(1, 0, COLOR_TEXT, "each takes the lower-numbered fork first   ");
    for (s = THINKING; s <= EATING; s++)
        put_at(1, 43 + 9 * s, state_color[s], state_name[s]);
}

/*==== Where things sit ====*/

/*
 * round(scale * sin(deg)) for any whole number of degrees, scale >= 0, in integers: Bhaskara
 * I's approximation sin d = 4d(180-d) / (40500 - d(180-d)) for 0 <= d <= 180 is within 0.2%,
 * far finer than a character cell.
 */
static int scaled_sin(int deg, int scale)
{
    int sign = 1, x, num, den;

    deg %= 360;
    if (deg < 0)
        deg += 360;
    if (deg >= 180) {
        deg -= 180;
        sign = -1;
    }
    x = deg * (180 - deg);
    num = 4 * x * scale;
    den = 40500 - x;
    return sign * ((num + den / 2) / den);
}

/* Places a label centred on the point at `deg` degrees clockwise from the top of an ellipse. */
static void place(int deg, int radius_rows, int radius_cols, int width, int *row, int *col)
{
    *row = CENTER_ROW - scaled_sin(deg + 90, radius_rows);
    *col = CENTER_COL + scaled_sin(deg, radius_cols) - width / 2;
}

/* Philosopher i sits between fork i (his left) and fork i+1, so the forks take the half
 * steps: fork i half a seat before philosopher i. */
static void lay_table(void)
{
    int i;

    for (i = 0; i < count; i++) {
        place(360 * i / count, SEAT_RADIUS_ROWS, SEAT_RADIUS_COLS, SEAT_WIDTH,
              &seats[i].row, &seats[i].col);
        place(360 * (2 * i - 1) / (2 * count), FORK_RADIUS_ROWS, FORK_RADIUS_COLS, FORK_WIDTH,
              &forks[i].row, &forks[i].col);
    }
}

/*==== The philosophers ====*/

/* A random number of ticks in lo..hi (a linear congruential generator, one per thread). */
static int random_ticks(struct philosopher *p, int lo, int hi)
{
    p->seed = p->seed * 1103515245u + 12345u;
    return lo + (int)((p->seed >> 16) % (unsigned int)(hi - lo + 1));
}

/* Sleeps `ticks`, in short slices so that a stop is noticed within NAP_TICKS. */
static void nap(int ticks)
{
    int slice;

    while (ticks > 0 && !stopping) {
        slice = ticks < NAP_TICKS ? ticks : NAP_TICKS;
        sleep(slice);
        ticks -= slice;
    }
}

static void set_state(struct philosopher *p, enum state state)
{
    mutex_lock(&screen);
    p->state = state;
    if (state == EATING)
        p->meals++;
    draw_seat(p);
    screen_unlock();
}

static void take_fork(struct philosopher *p, int id)
{
    mutex_lock(&forks[id].lock);
    mutex_lock(&screen);
    forks[id].holder = p->id;
    draw_fork(&forks[id], id);
    screen_unlock();
}

/* The fork is drawn free before it is let go: drawn after, it could overwrite the next
 * holder's label with "free". */
static void put_fork(int id)
{
    mutex_lock(&screen);
    forks[id].holder = -1;
    draw_fork(&forks[id], id);
    screen_unlock();
    mutex_unlock(&forks[id].lock);
}

/* One meal: both forks, lower number first (the deadlock rule above), eat, put them back. */
static void dine(struct philosopher *p)
{
    int left = p->id, right = (p->id + 1) % count;
    int first = left < right ? left : right, second = left < right ? right : left;

    set_state(p, HUNGRY);
    take_fork(p, first);
    take_fork(p, second);
    if (!stopping) {                    /* forks got after the stop make no meal */
        set_state(p, EATING);
        nap(random_ticks(p, EAT_MIN, EAT_MAX));
    }
    put_fork(second);
    put_fork(first);
}

/* A philosopher's thread: think, dine, until told to leave. */
static void *philosopher(void *arg)
{
    struct philosopher *p = arg;

    for (;;) {
        set_state(p, THINKING);
        nap(random_ticks(p, THINK_MIN, THINK_MAX));
        if (stopping)
            break;
        dine(p);
    }
    set_state(p, GONE);
    return NULL;
}

/*==== Running the show ====*/

/* The key thread: any key (or a getchar error, which leaves no way to stop) ends the run. */
static void *read_key(void *unused)
{
    (void)unused;
    getchar();
    key_done = 1;
    stopping = 1;
    return NULL;
}

/* Seats everybody and starts their threads. On failure returns < 0 with `count` cut to the
 * threads started, which are then the ones to stop and join. */
static int start_philosophers(void)
{
    int i, tid;

    for (i = 0; i < count; i++) {
        seats[i].id = i;
        seats[i].seed = get_ticks() * 2654435761u + (unsigned int)i * 40503u;
        forks[i].holder = -1;
        if (mutex_init(&forks[i].lock) < 0) {
            count = 0;
            return -1;
        }
    }
    mutex_lock(&screen);
    for (i = 0; i < count; i++) {
        draw_seat(&seats[i]);
        draw_fork(&forks[i], i);
    }
    screen_unlock();
    for (i = 0; i < count; i++) {
        tid = thr_create(philosopher, &seats[i]);
        if (tid < 0) {
            count = i;                  /* only these need joining */
            return tid;
        }
        seats[i].tid = tid;
    }
    return 0;
}

/* Waits for the key or the time limit (0: none), redrawing the clock; returns ticks run. */
static unsigned int run(int seconds)
{
    unsigned int start = get_ticks(), ticks = 0, shown = ~0u;   /* no second shown yet */

    while (!stopping && (seconds == 0 || ticks < (unsigned int)seconds * TICKS_PER_SECOND)) {
        if (ticks / TICKS_PER_SECOND != shown) {
            shown = ticks / TICKS_PER_SECOND;
            mutex_lock(&screen);
            draw_center(ticks);
            screen_unlock();
        }
        sleep(NAP_TICKS);
        ticks = get_ticks() - start;
    }
    return ticks;
}

/* Tells everybody to leave and waits for every philosopher's thread to end. */
static void stop_philosophers(void)
{
    int i;

    stopping = 1;
    for (i = 0; i < count; i++)
        thr_join(seats[i].tid, NULL);
}

/* The summary line below the table; returns the exit status (1: someone starved). */
static int report(unsigned int ticks)
{
    int i, meals = 0, fewest = seats[0].meals, most = seats[0].meals, hungriest = 0;

    for (i = 0; i < count; i++) {
        meals += seats[i].meals;
        if (seats[i].meals < fewest) {
            fewest = seats[i].meals;
            hungriest = i;
        }
        if (seats[i].meals > most)
            most = seats[i].meals;
    }
    set_term_color(COLOR_TEXT);
    set_cursor_pos(LAST_ROW - 2, 0);
    /* The '\n' first: the console copy (COM1, port 0xE9) sees no cursor moves, and the
     * summary should be a line of its own there too. */
    printf("\nphilosophers: %d ate %d meals, fewest %d, most %d\n", count, meals, fewest, most);
    if (fewest == 0 && ticks >= FAIR_SECONDS * TICKS_PER_SECOND) {
        printf("philosophers: FAILED: #%d never ate in %u s\n", hungriest,
               ticks / TICKS_PER_SECOND);
        return 1;
    }
    return 0;
}

/* Says why the run could not start (the threads started are already joined); status 1. */
static int start_failed(int err)
{
    set_term_color(COLOR_TEXT);
    set_cursor_pos(LAST_ROW - 2, 0);
    printf("\nphilosophers: cannot start a thread: %s (%d)\n", strerror(err), err);
    return 1;
}

int main(int argc, char **argv)
{
    int seconds = argc > 2 ? atoi(argv[2]) : 0;
    int key_tid = -1, err;
    unsigned int ticks = 0;

    count = argc > 1 ? atoi(argv[1]) : COUNT_DEFAULT;
    if (argc > 3 || count < COUNT_MIN || count > COUNT_MAX || seconds < 0) {
        printf("usage: philosophers [N [SECONDS]]   (N %d..%d, default %d; no SECONDS or 0: "
               "until a key)\n", COUNT_MIN, COUNT_MAX, COUNT_DEFAULT);
        return 1;
    }
    if ((err = thr_init(STACK_SIZE)) < 0 || (err = mutex_init(&screen)) < 0) {
        printf("philosophers: cannot start the thread library: %s (%d)\n", strerror(err), err);
        return 1;
    }
    clear_screen();
    draw_title(seconds);
    lay_table();
    err = start_philosophers();
    if (err >= 0) {
        key_tid = thr_create(read_key, NULL);
        if (key_tid < 0 && seconds == 0)
            err = key_tid;              /* nothing could ever end the run */
    }
    if (err >= 0)
        ticks = run(seconds);
    stop_philosophers();
    /* A key thread still in getchar cannot be called back: exit (main's return) ends it. */
    if (key_done)
        thr_join(key_tid, NULL);
    return err < 0 ? start_failed(err) : report(ticks);
}
