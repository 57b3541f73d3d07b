/*
 * guest_paging - hv_setpd, shadow paging in guest-kernel mode, hv_adjustpg (doc/syscalls.md 16).
 *
 * Before paging is on, guest-physical memory is written directly: texts at the physical pages
 * that a mapping will show, and "WRONG" texts at the physical pages equal to the virtual
 * addresses, so that a hypervisor that forgets to translate prints them. Then, with page
 * directory A (identity for [0, 8 MiB) but for a few pages):
 *   - hv_print of a buffer at a remapped virtual page, and of one that runs
 *     across two virtual pages mapped to non-adjacent frames in reverse order;
 *     hv_cons_get_cursor_pos writing into a remapped page;
 *   - a read-only page, and a page under a read-only directory entry: written with wp = 0
 *     (the write lands in the frame), refused with wp = 1 (page fault to slot 14, cr2 the
 *     address, error code 3: present, write, supervisor);
 *   - unmapped addresses: error code 0 (read) and 2 (write), in a table and with no table;
 *   - a PTE edited in place: hv_adjustpg shows the new frame; a PTE cleared: the page is
 *     gone after hv_adjustpg; a PTE made writable: writes work;
 *   - a second directory B maps the same virtual page elsewhere: hv_setpd switches between
 *     the two address spaces, hypercall arguments included.
 */
#include "guest.h"

#define V_TEXT      0x00700000u         /* -> P_TEXT */
#define P_TEXT      0x00600000u
#define V_ACROSS    0x00701000u         /* two pages: -> P_ACROSS_1, then -> P_ACROSS_2 */
#define P_ACROSS_1  0x00603000u
#define P_ACROSS_2  0x00602000u
#define V_RO        0x00710000u         /* read-only PTE -> P_RO */
#define P_RO        0x00610000u
#define V_RO_PDE    0x00800000u         /* read-only PDE, writable PTE -> P_RO_PDE */
#define P_RO_PDE    0x00620000u
#define V_ADJUST    0x00720000u         /* -> P_ADJUST_A, later P_ADJUST_B */
#define P_ADJUST_A  0x00630000u
#define P_ADJUST_B  0x00640000u
#define V_HOLE      0x00730000u         /* an empty PTE in a present table */
#define V_NO_TABLE  0x40000000u         /* an empty PDE */
#define P_SPACE_B   0x00650000u         /* V_TEXT in directory B */

static const char space_b[] = "guest_paging: address space B\n";
static const char right[] = "guest_paging: translated print: right page\n";
static const char across[] = "guest_paging: across pages: first|second\n";
#define ACROSS_FIRST 33                 /* bytes of `across` on the first page */

static uint32_t *pd_a, *pd_b;

static void put_text(uint32_t pa, const char *s)
{
    memcpy((void *)pa, s, strlen(s) + 1);
}

/* Paging is off: write every frame the mappings will show, and the decoys. */
static void prepare_memory(void)
{
    put_text(P_TEXT, right);
    put_text(V_TEXT, "guest_paging: WRONG: the untranslated address was used\n");
    memcpy((void *)(P_ACROSS_1 + PAGE_SIZE - ACROSS_FIRST), across, ACROSS_FIRST);
    put_text(P_ACROSS_2, across + ACROSS_FIRST);
    put_text(V_ACROSS + PAGE_SIZE - ACROSS_FIRST, "guest_paging: WRONG first half");
    put_text(V_ACROSS + PAGE_SIZE, "WRONG second half\n");
    put_text(P_ADJUST_A, "A");
    put_text(P_ADJUST_B, "B");
    put_text(P_SPACE_B, space_b);
}

static void build_directories(void)
{
    uint32_t *table;

    pd_a = pd_new();
    map_identity(pd_a, 0, 0x800000, PTE_P | PTE_W);
    map_page(pd_a, V_TEXT, P_TEXT, PTE_P | PTE_W);
    map_page(pd_a, V_ACROSS, P_ACROSS_1, PTE_P | PTE_W);
    map_page(pd_a, V_ACROSS + PAGE_SIZE, P_ACROSS_2, PTE_P | PTE_W);
    map_page(pd_a, V_RO, P_RO, PTE_P);
    map_page(pd_a, V_ADJUST, P_ADJUST_A, PTE_P | PTE_W);
    *pte_of(pd_a, V_HOLE) = 0;
    table = page_alloc();                       /* the read-only directory entry */
    pd_a[V_RO_PDE >> 22] = (uint32_t)table | PTE_P;
    table[(V_RO_PDE >> 12) & 0x3FF] = P_RO_PDE | PTE_P | PTE_W;

    pd_b = pd_new();
    map_identity(pd_b, 0, 0x400000, PTE_P | PTE_W);
    map_page(pd_b, V_TEXT, P_SPACE_B, PTE_P | PTE_W);
}

/* probe_write must fault: a page fault at addr with this error code. */
static void expect_write_fault(uint32_t addr, uint32_t error, int line)
{
    int v = probe_write((void *)addr, 0x12345678);

    if (v != SLOT_PF || last_trap.cr2 != addr || last_trap.error != error ||
        last_trap.marker != MARK_KERNEL) {
        printf("guest_paging: FAILED line %d: write %x: vector %d cr2 %x error %x\n", line,
               addr, v, last_trap.cr2, last_trap.error);
        check_failed(line, "expected write fault");
    }
}

static void expect_read_fault(uint32_t addr, uint32_t error, int line)
{
    int v = probe_read((void *)addr);

    if (v != SLOT_PF || last_trap.cr2 != addr || last_trap.error != error) {
        printf("guest_paging: FAILED line %d: read %x: vector %d cr2 %x error %x\n", line,
               addr, v, last_trap.cr2, last_trap.error);
        check_failed(line, "expected read fault");
    }
}

static void check_translation(void)
{
    int row, col, *cursor = (int *)(V_TEXT + 0x100);

    hv_print(strlen(right), (void *)V_TEXT);
    hv_print(strlen(across), (void *)(V_ACROSS + PAGE_SIZE - ACROSS_FIRST));
    CHECK_EQ(*(volatile char *)V_TEXT, 'g');
    /* get_cursor_pos writes through the mapping: the words land in P_TEXT's frame. */
    hv_cons_get_cursor_pos(&row, &col);
    hv_cons_get_cursor_pos(cursor, cursor + 1);
    CHECK_EQ(((int *)(P_TEXT + 0x100))[0], row);
    CHECK_EQ(((int *)(P_TEXT + 0x100))[1], col);
}

static void check_write_protect(void)
{
    hv_setpd(pd_a, 0);                          /* wp = 0: guest-kernel writes go through */
    CHECK_EQ(probe_write((void *)V_RO, 0xAAAA0001), 0);
    CHECK_EQ(*(volatile uint32_t *)P_RO, 0xAAAA0001);
    CHECK_EQ(probe_write((void *)(V_RO_PDE + 8), 0xAAAA0002), 0);
    CHECK_EQ(*(volatile uint32_t *)(P_RO_PDE + 8), 0xAAAA0002);

    hv_setpd(pd_a, 1);                          /* wp = 1: refused */
    expect_write_fault(V_RO + 4, 3, __LINE__);
    expect_write_fault(V_RO_PDE + 12, 3, __LINE__);
    CHECK_EQ(*(volatile uint32_t *)(P_RO + 4), 0);
    CHECK_EQ(*(volatile uint32_t *)(P_RO_PDE + 12), 0);
    CHECK_EQ(probe_read((void *)V_RO), 0);      /* reading is fine */
    CHECK_EQ(*(volatile uint32_t *)V_RO, 0xAAAA0001);
    CHECK_EQ(*(volatile uint32_t *)(V_RO_PDE + 8), 0xAAAA0002);

    expect_read_fault(V_HOLE + 0x10, 0, __LINE__);
    expect_write_fault(V_HOLE + 0x20, 2, __LINE__);
    expect_read_fault(V_NO_TABLE + 0x123, 0, __LINE__);
    expect_write_fault(V_NO_TABLE + 0x456, 2, __LINE__);
}

static void check_adjustpg(void)
{
    uint32_t *pte = pte_of(pd_a, V_ADJUST);

    CHECK_EQ(*(volatile char *)V_ADJUST, 'A');   /* the shadow entry is filled now */
    *pte = P_ADJUST_B | PTE_P | PTE_W;
    hv_adjustpg((void *)V_ADJUST);
    CHECK_EQ(*(volatile char *)V_ADJUST, 'B');
    *pte = 0;
    hv_adjustpg((void *)V_ADJUST);
    expect_read_fault(V_ADJUST, 0, __LINE__);
    *pte = P_ADJUST_A | PTE_P | PTE_W;
    hv_setpd(pd_a, 1);                          /* a new hv_setpd rereads everything */
    CHECK_EQ(*(volatile char *)V_ADJUST, 'A');

    *pte_of(pd_a, V_RO) |= PTE_W;               /* read-only made writable */
    hv_adjustpg((void *)V_RO);
    CHECK_EQ(probe_write((void *)(V_RO + 4), 0xAAAA0003), 0);
    CHECK_EQ(*(volatile uint32_t *)(P_RO + 4), 0xAAAA0003);
}

static void check_two_spaces(void)
{
    hv_setpd(pd_b, 1);
    hv_print(strlen(space_b), (void *)V_TEXT);
    CHECK_EQ(*(volatile char *)(V_TEXT + 22), space_b[22]);
    expect_read_fault(0x00500000, 0, __LINE__); /* B maps only [0, 4 MiB) */
    hv_setpd(pd_a, 1);
    CHECK_EQ(*(volatile char *)(V_TEXT + 22), right[22]);
    CHECK_EQ(probe_read((void *)0x00500000), 0);
}

int main(void)
{
    guest_name = "guest_paging";
    trap_install(SLOT_PF, NULL, 1);             /* probes only */
    prepare_memory();
    build_directories();
    hv_setpd(pd_a, 1);
    printf("guest_paging: paging on\n");
    check_translation();
    check_write_protect();
    check_adjustpg();
    check_two_spaces();
    return guest_finish();
}
