/*
 * readline_kill - task_vanish while one thread waits in readline for a key and another waits
 * behind it in the console's reader queue (getchar): both are woken and die, and the task ends
 * with the status it was given. The console's turn must not stay with a dead reader: the
 * parent, on the same console, then gets the key the harness types.
 */
#include <stdio.h>
#include <syscall.h>
#include <thread_spawn.h>

static volatile int started;
static char stacks[2][8192] __attribute__((aligned(16)));

static void reader(void *arg)
{
    char buf[16];
    atomic_add(&started, 1);
    if (arg)
        readline(sizeof buf, buf);      /* first in line: waits for a key */
    else
        getchar();                      /* second: waits for the turn */
    printf("readline_kill: FAILED: a reader returned\n");
}

static void child(void)
{
    thread_spawn(stacks[0] + sizeof stacks[0], reader, (void *)1);
    while (started < 1)
        yield(-1);
    sleep(5);                           /* the readline is now blocked on the empty ring */
    thread_spawn(stacks[1] + sizeof stacks[1], reader, 0);
    while (started < 2)
        yield(-1);
    sleep(5);                           /* and getchar waits behind it */
    task_vanish(7);
}

int main(void)
{
    int pid = fork(), status = 0, c;
    if (pid == 0)
        child();
    printf("readline_kill: wait -> %d\n", wait(&status) == pid ? 1 : 0);
    printf("readline_kill: status %d\n", status);
    printf("readline_kill: type a key\n");
    c = getchar();                      /* the turn passed on: this reader gets the key */
    printf("readline_kill: got '%c'\n", c);
    return 0;
}
