/*
 * snake - the classic game, on the text console.
 *
 * Steer the snake with the arrow keys (or w/a/s/d) to the food (*); each bite makes it longer
 * and a little faster. Running into the wall or into itself ends the game; q quits.
 *
 * Two threads: the first runs the game, one step per sleep(); a second thread (thread_spawn,
 * on a stack of its own) waits in getchar() and hands each turn to the game through a small
 * queue, so a key is never lost while the game sleeps, and two quick turns both count. Only
 * the game thread draws (set_cursor_pos, set_term_color, print). Ending the game ends the
 * task (exit), which also ends the key thread inside its getchar().
 *
 * The pace is counted in timer ticks (sleep), so it follows the emulated clock: with an
 * instruction-count clock (bochsrc's `clock: sync=none`, QEMU's -icount) time leaps ahead
 * while the CPU idles and the snake races; `sync=realtime` (or QEMU without -icount) plays at
 * the intended speed.
 */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <syscall.h>
#include <thread_spawn.h>

#define ROWS            25
#define COLS            80
#define TOP             1               /* row 0 is the status line; the wall starts here */
#define BOTTOM          (ROWS - 2)      /* the last wall row; row 24 stays free (no scroll) */
#define CELLS           (ROWS * COLS)
#define START_LENGTH    4
#define STEP_TICKS      12              /* ticks between steps at first */
#define FASTEST_TICKS   4
#define TURNS_MAX       4               /* turns typed ahead of the game */

#define COLOR_DEFAULT   (FGND_LGRAY | BGND_BLACK)
#define COLOR_WALL      (FGND_BLUE | BGND_BLUE)
#define COLOR_SNAKE     (FGND_BGRN | BGND_BLACK)
#define COLOR_HEAD      (FGND_YLLW | BGND_BLACK)
#define COLOR_FOOD      (FGND_PINK | BGND_BLACK)

struct point {
    int row, col;
};

enum direction { UP, LEFT, DOWN, RIGHT };
static const struct point step_of[] = { { -1, 0 }, { 0, -1 }, { 1, 0 }, { 0, 1 } };

/*==== Keys: the reader thread and the queue of turns ====*/

/* One writer (the key thread), one reader (the game): head and tail each have one owner. */
static volatile int turns[TURNS_MAX];
static volatile unsigned int turns_head, turns_tail;
static volatile int quit;               /* 1: q pressed; -1: getchar failed */
static volatile int read_error;

static void push_turn(int dir)
{
    if (turns_tail - turns_head < TURNS_MAX) {
        turns[turns_tail % TURNS_MAX] = dir;
        turns_tail++;
    }
}

/* The next turn typed, or -1. */
static int pop_turn(void)
{
    int dir;

    if (turns_head == turns_tail)
        return -1;
    dir = turns[turns_head % TURNS_MAX];
    turns_head++;
    return dir;
}

/* The direction a key asks for, or -1. */
static int direction_of_key(int c)
{
    switch (c) {
    case KEY_UP: case 'w': case 'W': return UP;
    case KEY_LEFT: case 'a': case 'A': return LEFT;
    case KEY_DOWN: case 's': case 'S': return DOWN;
    case KEY_RIGHT: case 'd': case 'D': return RIGHT;
    }
    return -1;
}

/* The key thread: turns keys into turns until q (or an error) says stop. */
static void read_keys(void *unused)
{
    int c, dir;

    (void)unused;
    while (!quit) {
        c = getchar();
        if (c < 0) {
            read_error = c;
            quit = -1;
        } else if (c == 'q' || c == 'Q') {
            quit = 1;
        } else if ((dir = direction_of_key(c)) >= 0) {
            push_turn(dir);
        }
    }
}

/*==== Drawing ====*/

static void draw_at(int row, int col, int color, char c)
{
    set_cursor_pos(row, col);
    set_term_color(color);
    print(1, &c);
}

/* Blanks the screen without scrolling it: every cell but the very last one. */
static void clear_screen(void)
{
    static char blanks[CELLS - 1];
    int i;

    for (i = 0; i < CELLS - 1; i++)
        blanks[i] = ' ';
    set_term_color(COLOR_DEFAULT);
    set_cursor_pos(0, 0);
    print(sizeof blanks, blanks);
}

static void draw_walls(void)
{
    int i;

    for (i = 0; i < COLS; i++) {
        draw_at(TOP, i, COLOR_WALL, '#');
        draw_at(BOTTOM, i, COLOR_WALL, '#');
    }
    for (i = TOP; i <= BOTTOM; i++) {
        draw_at(i, 0, COLOR_WALL, '#');
        draw_at(i, COLS - 1, COLOR_WALL, '#');
    }
}

/* The status line; then the cursor waits in the bottom right corner, out of the way. */
static void draw_status(int score)
{
    set_cursor_pos(0, 0);
    set_term_color(COLOR_DEFAULT);
    printf("snake   score %-4d   arrows or w/a/s/d steer, q quits", score);
    set_cursor_pos(ROWS - 1, COLS - 1);
}

/*==== The game ====*/

/* The snake is a ring of cells, tail to head; `occupied` answers "is the snake here?". */
static struct point body[CELLS];
static int tail, length;
static char occupied[ROWS][COLS];
static struct point food;

static struct point head(void)
{
    return body[(tail + length - 1) % CELLS];
}

static int is_free(struct point p)
{
    return p.row > TOP && p.row < BOTTOM && p.col > 0 && p.col < COLS - 1
        && !occupied[p.row][p.col];
}

static void grow_to(struct point p)
{
    if (length > 0)
        draw_at(head().row, head().col, COLOR_SNAKE, 'o');
    body[(tail + length) % CELLS] = p;
    length++;
    occupied[p.row][p.col] = 1;
    draw_at(p.row, p.col, COLOR_HEAD, '@');
}

static void drop_tail(void)
{
    struct point p = body[tail];

    occupied[p.row][p.col] = 0;
    draw_at(p.row, p.col, COLOR_DEFAULT, ' ');
    tail = (tail + 1) % CELLS;
    length--;
}

/* Puts food on a random free cell. */
static void place_food(void)
{
    do {
        food.row = TOP + 1 + rand() % (BOTTOM - TOP - 1);
        food.col = 1 + rand() % (COLS - 2);
    } while (occupied[food.row][food.col]);
    draw_at(food.row, food.col, COLOR_FOOD, '*');
}

/* The direction after the next queued turn; turning straight back is not allowed. */
static int next_direction(int dir)
{
    int turn = pop_turn();

    if (turn < 0 || (turn + 2) % 4 == dir)
        return dir;
    return turn;
}

/* Plays until the snake crashes or q; returns the score. */
static int play(void)
{
    int dir = RIGHT, score = 0, i;
    struct point next;

    for (i = 0; i < START_LENGTH; i++)
        grow_to((struct point){ ROWS / 2, COLS / 2 - START_LENGTH + i });
    place_food();
    while (!quit) {
        draw_status(score);
        sleep(STEP_TICKS - score / 2 > FASTEST_TICKS ? STEP_TICKS - score / 2 : FASTEST_TICKS);
        dir = next_direction(dir);
        next = (struct point){ head().row + step_of[dir].row, head().col + step_of[dir].col };
        if (next.row == food.row && next.col == food.col) {
            grow_to(next);
            score++;
            place_food();
            continue;
        }
        drop_tail();                    /* first: the head may move into the tail's cell */
        if (!is_free(next))
            break;
        grow_to(next);
    }
    return score;
}

int main(void)
{
    static char key_stack[8192] __attribute__((aligned(16)));
    int tid, score;

    srand(get_ticks());
    clear_screen();
    draw_walls();
    tid = thread_spawn(key_stack + sizeof key_stack, read_keys, NULL);
    if (tid < 0) {
        set_cursor_pos(ROWS - 1, 0);
        printf("snake: cannot start the key thread: %s (%d)\n", strerror(tid), tid);
        return 1;
    }
    score = play();
    set_cursor_pos(ROWS - 1, 0);
    set_term_color(COLOR_DEFAULT);
    if (quit < 0)
        printf("snake: cannot read the keyboard: %s (%d)\n", strerror(read_error), read_error);
    else
        printf("game over: score %d\n", score);
    return 0;
}
