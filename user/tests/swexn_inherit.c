/*
 * swexn_inherit - who has a swexn handler after fork, thread_fork and exec (doc/syscalls.md 4, 9).
 *
 *   fork         the child inherits the handler (same stack, entry point and arg): its
 *                fault is handled; the parent's handler is untouched
 *   thread_fork  the new thread has none: its fault kills that thread only; the task's
 *                first thread goes on, still with its own handler. Run in a child task so
 *                that its status (-2 after the kill, the first thread then vanishes) can
 *                be checked
 *   exec         drops the handler: a child registers one and execs this program again as
 *                "PROG exec-child", which faults at once and must be killed (status -2)
 *
 * The exec part only proves something when the exec'd program starts without registering a
 * handler of its own. crt0 registers the stack-growth handler before main, which hides a
 * handler that exec failed to drop. swexn_inherit_exec.t therefore relinks this program
 * without crt0 (entry point main, see below) as swexn_inherit_nocrt: then the handler, at
 * the same address in the old and the new image, would catch the fault and say FAILED.
 *
 * Without crt0, main is entered as if called and must never return: it ends with exit().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include <thread_spawn.h>
#include "testlib.h"
#include "fault_ud2.h"

#define THREAD_STACK_SIZE (8 * 1024)
#define CHILD_OK        42              /* the fork child's status when all was right */

static char exn_stack[4 * 1024] __attribute__((aligned(16)));
#define EXN_TOP (exn_stack + sizeof exn_stack)
static char thread_stack[THREAD_STACK_SIZE] __attribute__((aligned(16)));
static int cookie;                      /* its address is the handler's arg */


/* Notes the fault, skips the ud2, resumes with no handler registered. */
static volatile int handler_calls;
static void *seen_arg;
static ureg_t *seen_ureg;

static void skip_handler(void *arg, ureg_t *ureg)
{
    handler_calls++;
    seen_arg = arg;
    seen_ureg = ureg;
    if (ureg->eip == (unsigned int)fault_ud2_at)
        ureg->eip = (unsigned int)fault_ud2_resume;
    swexn(NULL, NULL, NULL, ureg);
    printf("swexn_inherit: FAILED: the handler cannot resume\n");
    task_vanish(1);
}

static void register_handler(void)
{
    CHECK_INT(swexn(EXN_TOP, skip_handler, &cookie, NULL), 0);
}

/* Faults once; returns 1 if our handler took it as registered by register_handler. */
static int fault_handled(void)
{
    int calls = handler_calls;

    fault_ud2();
    return handler_calls == calls + 1 && seen_arg == &cookie &&
           (char *)seen_ureg >= exn_stack && (char *)seen_ureg < EXN_TOP;
}

/* Waits for child pid; returns its status (or a value no child reports). */
static int status_of(int pid)
{
    int status = -1000;

    if (pid < 0 || wait(&status) != pid)
        return -1001;
    return status;
}

static void check_fork(void)
{
    int pid;

    register_handler();
    pid = fork();
    if (pid == 0)
        exit(fault_handled() ? CHILD_OK : 1);
    CHECK_INT(status_of(pid), CHILD_OK);
    CHECK(fault_handled());                     /* the parent's own handler */
}

/* The thread_fork part, in a child task. */
static volatile int thread_survived;

static void faulting_thread(void *arg)
{
    (void)arg;
    fault_ud2();                                /* no handler: this thread dies here */
    thread_survived = 1;
}

static void thread_child(void)
{
    int tid;

    register_handler();
    tid = thread_spawn(thread_stack + THREAD_STACK_SIZE, faulting_thread, NULL);
    if (tid < 0)
        task_vanish(10);
    thread_gone(tid);
    if (thread_survived) {
        printf("swexn_inherit: FAILED: the new thread's fault was handled\n");
        task_vanish(11);
    }
    if (!fault_handled()) {                     /* our handler is still ours */
        printf("swexn_inherit: FAILED: the first thread lost its handler\n");
        task_vanish(12);
    }
    printf("swexn_inherit: thread killed, its task lives on\n");
    vanish();                                   /* the task's status stays -2 */
    task_vanish(13);
}

static void check_thread_fork(void)
{
    int pid = fork();

    if (pid == 0)
        thread_child();
    CHECK_INT(status_of(pid), -2);
}

static void check_exec(char *prog)
{
    char *child_argv[] = { prog, "exec-child", NULL };
    int pid;

    register_handler();
    pid = fork();
    if (pid == 0) {
        exec(prog, child_argv);
        printf("swexn_inherit: FAILED: cannot exec %s\n", prog);
        task_vanish(20);
    }
    CHECK_INT(status_of(pid), -2);
}

/* The exec'd program: a handler left over from before exec would take this fault. */
static void exec_child(void)
{
    printf("swexn_inherit: exec child faults\n");
    fault_ud2();
    printf("swexn_inherit: FAILED: the handler survived exec (%d call)\n", handler_calls);
    exit(1);
}

int main(int argc, char *argv[])
{
    test_start("swexn_inherit");
    if (argc > 1 && strcmp(argv[1], "exec-child") == 0)
        exec_child();
    check_fork();
    check_thread_fork();
    check_exec(argv[0]);
    exit(test_finish());
}
