/*
 * exit_test - returning from main ends the task with main's value (crt0
 * calls exit, which is task_vanish).
 */
#include <stdio.h>

int main(void)
{
    printf("exit_test: returning 3 from main\n");
    return 3;
}
