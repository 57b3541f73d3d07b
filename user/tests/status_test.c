/*
 * status_test N - set_status(N) then vanish(): the task's exit status is N.
 */
#include <stdio.h>
#include <stdlib.h>
#include <syscall.h>

int main(int argc, char *argv[])
{
    int status = argc > 1 ? atoi(argv[1]) : 0;

    printf("status_test: set_status(%d), then vanish()\n", status);
    set_status(status);
    vanish();
    printf("status_test: FAILED: vanish returned\n");
    return 99;
}
