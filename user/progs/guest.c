/*
 * guest - runs a guest kernel (a PebPeb kernel, doc/syscalls.md 16) on a console of its own.
 *
 *   guest NAME &       NAME is a kernel file on the floppy, linked below 16 MiB
 *
 * new_console() moves this task onto a new console in front; exec then turns the task into
 * the guest, which prints there and takes that console's key events. Alt+F1 goes back to the
 * shell; the console goes away when the guest ends. The shell's `wait` (or `status`) shows
 * its exit status: what it gave hv_exit, or -559038242 (0xDEADC0DE) if it crashed.
 */
#include <stdio.h>
#include <string.h>
#include <syscall.h>

int main(int argc, char **argv)
{
    int err;

    if (argc != 2) {
        printf("usage: guest NAME   (a guest kernel on the floppy; see `ls`)\n");
        return 1;
    }
    err = new_console();
    if (err < 0) {
        printf("guest: cannot open a console (there are 8 at most): %s (%d)\n",
               strerror(err), err);
        return 1;
    }
    err = exec(argv[1], &argv[1]);
    printf("guest: cannot run %s: %s (%d)\n", argv[1], strerror(err), err);
    return 1;
}
