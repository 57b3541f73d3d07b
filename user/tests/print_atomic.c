/*
 * print_atomic - two threads print long lines of their own letter at once. doc/syscalls.md 7:
 * the output of two concurrent prints never interleaves, so no line may mix A and B (the .t
 * rejects "AB" and "BA"). Lines are long so that preemption inside a print is likely.
 */
#include <stdio.h>
#include <string.h>
#include <syscall.h>
#include <thread_spawn.h>

#define LINES   100
#define WIDTH   70

static char stack[8192] __attribute__((aligned(16)));
static volatile int done;

static void printer(char letter)
{
    char line[WIDTH + 1];
    memset(line, letter, WIDTH);
    line[WIDTH] = '\n';
    for (int i = 0; i < LINES; i++)
        print(WIDTH + 1, line);
}

static void second(void *arg)
{
    (void)arg;
    printer('B');
    atomic_add((int *)&done, 1);
}

int main(void)
{
    int tid = thread_spawn(stack + sizeof stack, second, NULL);
    if (tid < 0) {
        printf("print_atomic: FAILED: thread_spawn %d\n", tid);
        return 1;
    }
    printer('A');
    while (!done)
        yield(-1);
    thread_gone(tid);
    printf("print_atomic: ok\n");
    return 0;
}
