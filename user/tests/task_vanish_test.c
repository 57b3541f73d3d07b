/*
 * task_vanish_test - task_vanish(77) ends the task with status 77, even
 * after set_status chose another value, and never returns.
 */
#include <stdio.h>
#include <syscall.h>

int main(void)
{
    set_status(5);
    printf("task_vanish_test: task_vanish(77)\n");
    task_vanish(77);
    printf("task_vanish_test: FAILED: task_vanish returned\n");
    return 99;
}
