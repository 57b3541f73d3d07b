/*
 * kill_msg_console - the kernel's own message about a killed thread ("kernel: killed task
 * ...") must not break when its task leaves that console while the message is written.
 *
 * Found by `fuzz 20000 1` in Bochs (KERNEL PANIC: assertion failed: m->owner == current, in
 * mutex_unlock, from printf, from user_fault). The kernel's printf wrote to the task's
 * console without taking a reference (console_hold), holding the console's out_lock. When
 * the writer was preempted there and another thread of the task moved the task to a new
 * console (new_console), the old console lost its last reference and was freed; the next
 * new_console set it up afresh (memset, mutex_init) under the writer's feet, whose
 * mutex_unlock then found another owner or none.
 *
 * Here: a switcher thread calls new_console without a pause (each call frees the console
 * the task was on, and the next one sets that console up again), while the first thread
 * starts ROUNDS threads one after the other that fault at once, each one a kill message.
 * 1 ms timer ticks (misbehave 1) make preemption inside a message likely.
 */
#include <stdio.h>
#include <syscall.h>
#include <thread_spawn.h>
#include "fault_ud2.h"

#define ROUNDS      300
#define STACK       4096

static char stacks[2][STACK] __attribute__((aligned(16)));
static volatile int done;

/* Moves the task from console to console until told to stop. */
static void switcher(void *arg)
{
    (void)arg;
    while (!done)
        new_console();
}

static void faulter(void *arg)
{
    (void)arg;
    fault_ud2();                        /* killed: the kernel prints a line about it */
}

int main(void)
{
    int tid, sw;

    misbehave(1);
    sw = thread_spawn(stacks[0] + STACK, switcher, NULL);
    for (int i = 0; i < ROUNDS && sw > 0; i++) {
        if ((tid = thread_spawn(stacks[1] + STACK, faulter, NULL)) < 0)
            return 2;
        thread_gone(tid);
    }
    done = 1;
    if (sw > 0)
        thread_gone(sw);
    misbehave(0);
    printf("kill_msg_console: kernel alive\n");
    return 0;
}
