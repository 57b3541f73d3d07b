/*
 * exit.c - ending the program.
 */
#include <stdlib.h>
#include <syscall.h>

/* Print straight through the system call: this must work however broken
 * the rest of the program's state is. */
static void say(char *msg)
{
    int len = 0;

    while (msg[len] != '\0')
        len++;
    print(len, msg);
}

void exit(int status)
{
    /* printf output is never held back in a buffer, so nothing to flush. */
    task_vanish(status);

    /* task_vanish cannot return; if a broken kernel lets it, say so and stop
     * here instead of running on into code that thinks the program ended. */
    say("exit: task_vanish returned!\n");
    for (;;)
        continue;
}
