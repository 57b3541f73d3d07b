/*
 * guest_crash_getpos - hv_cons_get_cursor_pos with a pointer into a read-only page (wp = 1)
 * crashes the guest (doc/syscalls.md 16: a bad pointer): the hypervisor writes with the guest
 * kernel's rights. Status 0xDEADC0DE.
 */
#include "guest.h"

int main(void)
{
    uint32_t *pd = pd_new();
    int row;

    guest_name = "guest_crash_getpos";
    map_identity(pd, 0, 0x400000, PTE_P | PTE_W);
    map_page(pd, 0x00500000, 0x00500000, PTE_P);        /* read-only */
    hv_setpd(pd, 1);
    printf("guest_crash_getpos: column pointer into a read-only page\n");
    hv_cons_get_cursor_pos(&row, (int *)0x00500000);
    guest_still_running();
}
