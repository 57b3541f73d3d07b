/*
 * mandelbrot [ITERATIONS] - draws the Mandelbrot set in text mode, in colour.
 *
 * Each character cell is a point c of the complex plane; z = z*z + c is iterated from z = 0
 * until |z| > 2 or ITERATIONS steps (default 48) have passed. Points that never escape are
 * in the set (drawn black); the others are a full block (code page 437's 0xDB) in a colour
 * chosen by how many steps they took to escape, so the bands around the set show. (The copy
 * of the console on COM1 and port 0xE9 gets the 0xDB bytes as they are.)
 *
 * The arithmetic is fixed-point in 32-bit integers with FRAC_BITS fraction bits (no floating
 * point, no 64-bit division): z escapes from |z| <= 2, so |z| stays below 7 and every
 * product below 2^31.
 */
#include <stdio.h>
#include <stdlib.h>
#include <syscall.h>

#define ROWS            23              /* leaves room for the prompt below */
#define COLS            79              /* 80 would wrap by itself before our '\n' */
#define FRAC_BITS       12
#define ONE             (1 << FRAC_BITS)
#define FIX(num, den)   ((num) * ONE / (den))   /* the fraction num/den in fixed point */
#define ITERATIONS_DEFAULT 48

/* The part of the plane shown: real -2.2 .. 0.8, imaginary -1.2 .. 1.2. */
#define RE_MIN          FIX(-22, 10)
#define RE_MAX          FIX(8, 10)
#define IM_MIN          FIX(-12, 10)
#define IM_MAX          FIX(12, 10)

#define BLOCK           ((char)0xDB)    /* a cell filled with the foreground colour */

/* Colours for escape times 0, 1, 2, ...: the outer bands dark, then brighter; it repeats. */
static const int colors[] = {
    FGND_BLUE, FGND_BBLUE, FGND_CYAN, FGND_BCYAN, FGND_GREEN, FGND_BGRN,
    FGND_YLLW, FGND_BRWN, FGND_RED, FGND_PINK, FGND_MAG, FGND_BMAG, FGND_WHITE,
};
#define COLORS          ((int)(sizeof colors / sizeof colors[0]))

/* How many steps the point (re, im) takes to escape, or `limit` if it does not. */
static int escape_time(int re, int im, int limit)
{
    int zr = 0, zi = 0, zr2 = 0, zi2 = 0, n;

    for (n = 0; n < limit && zr2 + zi2 <= 4 * ONE; n++) {
        zi = (2 * zr * zi >> FRAC_BITS) + im;   /* uses the old zr: compute zi first */
        zr = zr2 - zi2 + re;
        zr2 = zr * zr >> FRAC_BITS;
        zi2 = zi * zi >> FRAC_BITS;
    }
    return n;
}

/* A row of cells is printed in runs of one colour: one set_term_color and one print each. */
static char run[COLS + 1];
static int run_len, run_color = -1;

static void flush_run(void)
{
    if (run_len == 0)
        return;
    set_term_color(run_color);
    print(run_len, run);
    run_len = 0;
}

static void put_cell(char c, int color)
{
    if (color != run_color)
        flush_run();
    run_color = color;
    run[run_len++] = c;
}

static void draw_row(int row, int limit)
{
    int im = IM_MAX - (IM_MAX - IM_MIN) / (ROWS - 1) * row;
    int col, re, n;

    for (col = 0; col < COLS; col++) {
        re = RE_MIN + (RE_MAX - RE_MIN) / (COLS - 1) * col;
        n = escape_time(re, im, limit);
        if (n == limit)
            put_cell(' ', FGND_LGRAY);
        else
            put_cell(BLOCK, colors[n % COLORS]);
    }
    flush_run();
    set_term_color(FGND_LGRAY | BGND_BLACK);
    print(1, "\n");
}

int main(int argc, char **argv)
{
    int limit = argc > 1 ? atoi(argv[1]) : ITERATIONS_DEFAULT;
    int row;

    if (limit < 1) {
        printf("usage: mandelbrot [ITERATIONS]\n");
        return 1;
    }
    for (row = 0; row < ROWS; row++)
        draw_row(row, limit);
    return 0;
}
