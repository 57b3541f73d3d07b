/*
 * crash_kernel - asks the self-test kernel to fault on purpose (its INT 0x8F) so that the test
 * suite can check the panic report. On the normal kernel that vector has no gate and this
 * program is simply killed.
 */
#include <stdio.h>

int main(void)
{
    printf("crash_kernel: asking the kernel to crash\n");
    __asm__ volatile("int $0x8F");
    printf("crash_kernel: still running (not the self-test kernel?)\n");
    return 1;
}
