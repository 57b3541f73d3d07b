/*
 * colors - shows the 256 colour attributes of the text console: every foreground colour on
 * every background colour, as a 16x16 table.
 *
 * A cell shows its attribute byte in hex, drawn in that attribute (set_term_color): the high
 * digit is the background, the low digit the foreground (syscall.h: BGND_* | FGND_*). Rows
 * 8..F have bit 7 set, which VGA shows either as a bright background or as blinking text,
 * depending on how the card is set up; syscall.h names only backgrounds 0..7 for that reason.
 */
#include <stdio.h>
#include <syscall.h>

#define COLOR_DEFAULT   (FGND_LGRAY | BGND_BLACK)

/* The column labels: the foreground digit of each column. */
static void print_header(void)
{
    int fg;

    printf("bg\\fg");
    for (fg = 0; fg < 16; fg++)
        printf(" %X  ", fg);
    printf("\n");
}

/* One row: background bg under every foreground. */
static void print_row(int bg)
{
    int fg;
    char cell[8];

    printf("  %X  ", bg);
    for (fg = 0; fg < 16; fg++) {
        int attr = bg << 4 | fg;

        snprintf(cell, sizeof cell, " %02X ", attr);
        set_term_color(attr);
        print(4, cell);
    }
    set_term_color(COLOR_DEFAULT);
    printf("\n");
}

int main(void)
{
    int bg;

    print_header();
    for (bg = 0; bg < 16; bg++)
        print_row(bg);
    return 0;
}
