/*
 * new_shell - opens a new virtual console and runs a shell on it.
 *
 * new_console() moves this task onto a console of its own and brings it to the front; the
 * shell then runs there. Alt+F1 ... Alt+F8 switch between the consoles; a console is freed
 * when the last task on it ends (doc/syscalls.md 10).
 *
 * Type it as `new_shell &`: without the &, the shell it was typed in waits for it, that is,
 * until the new shell exits, and shows no prompt meanwhile.
 */
#include <stdio.h>
#include <string.h>
#include <syscall.h>

int main(void)
{
    static char *shell_argv[] = { "shell", NULL };
    int err = new_console();

    if (err < 0) {
        printf("new_shell: cannot open a console (there are 8 at most): %s (%d)\n",
               strerror(err), err);
        return 1;
    }
    err = exec("shell", shell_argv);
    printf("new_shell: cannot run shell: %s (%d)\n", strerror(err), err);
    return 1;
}
