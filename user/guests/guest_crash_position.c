/*
 * guest_crash_position - hv_cons_set_cursor_pos(25, 0), a row past the screen, crashes the
 * guest (doc/syscalls.md 16: a bad position). Status 0xDEADC0DE.
 */
#include "guest.h"

int main(void)
{
    guest_name = "guest_crash_position";
    printf("guest_crash_position: cursor to row 25\n");
    hv_cons_set_cursor_pos(25, 0);
    guest_still_running();
}
