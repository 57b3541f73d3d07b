/*
 * halt - stops the machine: `halt [STATUS]` (default 0).
 *
 * On the PC it powers off (in an emulator: the emulator exits). Inside pebbles-guest, the
 * kernel running as a guest of another, it ends that guest: its task exits with STATUS, and
 * the shell that started it takes over again.
 */
#include <stdlib.h>
#include <syscall.h>

int main(int argc, char **argv)
{
    set_status(argc > 1 ? atoi(argv[1]) : 0);
    halt();
    return 1;                           /* halt never returns */
}
