/*
 * halt_test - halt() stops the machine at once; the kernel reports the
 * set_status value (5) and nothing after halt() may run.
 */
#include <stdio.h>
#include <syscall.h>

int main(void)
{
    set_status(5);
    printf("halt_test: halting with status 5\n");
    halt();
    printf("halt_test: FAILED: halt returned\n");
    return 99;
}
