/*
 * guest_exit - hv_exit's status reaches the parent's wait (doc/syscalls.md 16, op 1).
 *
 * Prints a line and calls hv_exit(42) directly (not through main's return); the case
 * (tests/cases/guest_exit.t) expects status 42 and that nothing after the call runs.
 */
#include "guest.h"

int main(void)
{
    guest_name = "guest_exit";
    printf("guest_exit: calling hv_exit(42)\n");
    hv_exit(42);
}
