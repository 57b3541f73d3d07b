/*
 * new_pages_test [top] - new_pages and remove_pages arguments:
 *   - bad arguments give -2: unaligned base, len <= 0 or not a multiple of 4096, any page below
 *     0x01000000, a range that wraps past 4 GiB, overlap with the program image, the stack or
 *     another region (at either end, inside, around it);
 *   - a request far beyond memory gives -5 and leaves nothing mapped;
 *   - good calls work, also right next to another region and in the last page of memory;
 *   - remove_pages gives -2 for any address but a region's base, and removes only that region;
 *     its range can be mapped again (zero-filled).
 * With "top": only the last page of the address space, 0xfffff000, which lies above the stack
 * and ends exactly at 4 GiB without wrapping: doc/syscalls.md 6 makes it the task's own to map.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <syscall.h>
#include "testlib.h"

#define E_INVAL         (-2)
#define E_NOMEM         (-5)
#define A               ((char *)0x20000000)    /* our first region: 4 pages */
#define A_LEN           (4 * PAGE_SIZE)
#define B               (A + A_LEN)             /* a second one, right after A */
#define TOP_PAGE        ((char *)0xfffff000)    /* above the stack: free in the layout */

static int data_word = 1;

static char *page_of(const void *p) { return (char *)((uintptr_t)p & ~(uintptr_t)0xfff); }

/* new_pages that must give `want`; prints the case when it does not. */
static void expect_np(void *base, int len, int want, const char *what)
{
    int r = new_pages(base, len);

    if (r != want)
        printf("new_pages_test: FAILED: %s: new_pages(%p, %#x) = %d, expected %d\n", what,
               base, (unsigned)len, r, want);
    CHECK_INT(r, want);
    if (r == 0 && want != 0)
        remove_pages(base);             /* do not let one wrong answer spoil the rest */
}

static void expect_rp(void *base, int want, const char *what)
{
    int r = remove_pages(base);

    if (r != want)
        printf("new_pages_test: FAILED: %s: remove_pages(%p) = %d, expected %d\n", what, base,
               r, want);
    CHECK_INT(r, want);
}

static void bad_shapes(void)
{
    expect_np(A + 1, PAGE_SIZE, E_INVAL, "unaligned base");
    expect_np(A + 0x800, PAGE_SIZE, E_INVAL, "half-page base");
    expect_np(A, 0, E_INVAL, "len 0");
    expect_np(A, -PAGE_SIZE, E_INVAL, "len -4096");
    expect_np(A, (int)0x80000000, E_INVAL, "len INT_MIN");
    expect_np(A, 100, E_INVAL, "len 100");
    expect_np(A, PAGE_SIZE + 1, E_INVAL, "len 4097");
    expect_np(A, PAGE_SIZE - 1, E_INVAL, "len 4095");
    printf("new_pages_test: bad base/len refused\n");
}

static void bad_places(void)
{
    char local = 0;
    char *stack_low = page_of(_stack_low_initial);

    expect_np((void *)0, PAGE_SIZE, E_INVAL, "address 0");
    expect_np(KERNEL_ADDRESS, PAGE_SIZE, E_INVAL, "kernel memory");
    expect_np((void *)0x00fff000, PAGE_SIZE, E_INVAL, "last kernel page");
    expect_np((void *)0x00fff000, 2 * PAGE_SIZE, E_INVAL, "straddling 16 MiB");
    expect_np(TOP_PAGE, 2 * PAGE_SIZE, E_INVAL, "wrapping past 4 GiB");
    expect_np((void *)0x90000000, 0x7ffff000, E_INVAL, "long, wrapping past 4 GiB");
    expect_np((void *)0x01000000, PAGE_SIZE, E_INVAL, "our .text");
    expect_np(page_of(&data_word), PAGE_SIZE, E_INVAL, "our .data");
    expect_np(page_of(&data_word) - PAGE_SIZE, 2 * PAGE_SIZE, E_INVAL, "ending in .data");
    expect_np(page_of(&local), PAGE_SIZE, E_INVAL, "our stack");
    expect_np(stack_low - PAGE_SIZE, 2 * PAGE_SIZE, E_INVAL, "just into the stack bottom");
    expect_np((void *)0xfff00000, 0xff000, E_INVAL, "covering the stack");
    printf("new_pages_test: kernel, image, stack and wrap-around refused\n");
}

static void overlaps(void)
{
    expect_np(A, A_LEN, 0, "region A");
    expect_np(A, A_LEN, E_INVAL, "A again");
    expect_np(A, PAGE_SIZE, E_INVAL, "A's first page");
    expect_np(A + A_LEN - PAGE_SIZE, 2 * PAGE_SIZE, E_INVAL, "A's last page and beyond");
    expect_np(A - PAGE_SIZE, 2 * PAGE_SIZE, E_INVAL, "before A and A's first page");
    expect_np(A + PAGE_SIZE, PAGE_SIZE, E_INVAL, "inside A");
    expect_np(A - PAGE_SIZE, A_LEN + 2 * PAGE_SIZE, E_INVAL, "around A");
    expect_np(B, PAGE_SIZE, 0, "region B right after A");
    expect_np(A - PAGE_SIZE, PAGE_SIZE, 0, "region right before A");
    expect_rp(A - PAGE_SIZE, 0, "the region before A");
    printf("new_pages_test: overlaps refused, neighbours allowed\n");
}

/* Far more than the machine has: -5, and no page of it stays mapped. */
static void too_big(void)
{
    char *base = (char *)0x30000000;

    expect_np(base, 0x40000000, E_NOMEM, "1 GiB");
    expect_np(base, 0x7ffff000, E_NOMEM, "2 GiB");
    expect_np(base, PAGE_SIZE, 0, "first page after the 1 GiB failure");
    expect_np(base + 0x3ffff000, PAGE_SIZE, 0, "last page after the 1 GiB failure");
    expect_rp(base, 0, "first page");
    expect_rp(base + 0x3ffff000, 0, "last page");
    printf("new_pages_test: too much memory: -5, nothing left mapped\n");
}

static void use_and_remove(void)
{
    A[0] = 'a';
    A[A_LEN - 1] = 'z';
    B[0] = 'b';
    CHECK(A[0] == 'a' && A[A_LEN - 1] == 'z' && B[0] == 'b');
    expect_rp(A + PAGE_SIZE, E_INVAL, "a page inside A");
    expect_rp(A + 1, E_INVAL, "unaligned, inside A");
    expect_rp(A - PAGE_SIZE, E_INVAL, "unmapped, before A");
    expect_rp((void *)0x30000000, E_INVAL, "never mapped");
    expect_rp((void *)0x01000000, E_INVAL, "our .text");
    expect_rp(page_of(&data_word), E_INVAL, "our .data");
    expect_rp(page_of(_stack_low_initial), E_INVAL, "our stack");
    expect_rp(KERNEL_ADDRESS, E_INVAL, "kernel memory");
    expect_rp((void *)0, E_INVAL, "address 0");
    CHECK(A[0] == 'a' && B[0] == 'b');  /* the failed calls removed nothing */
    expect_rp(A, 0, "A");
    expect_rp(A, E_INVAL, "A a second time");
    CHECK(B[0] == 'b');                 /* removing A left its neighbour alone */
    expect_np(A, A_LEN + PAGE_SIZE, E_INVAL, "A plus one page (B is there)");
    expect_np(A, A_LEN, 0, "A mapped again");
    CHECK(A[0] == 0 && A[A_LEN - 1] == 0);
    expect_rp(A, 0, "A again");
    expect_rp(B, 0, "B");
    printf("new_pages_test: remove_pages only at a base; ranges reusable\n");
}

/* The page above the stack is the last page of the address space: it may be mapped. */
static void top_page(void)
{
    if (new_pages(TOP_PAGE, PAGE_SIZE) != 0) {
        CHECK(!"new_pages(0xfffff000, 4096) works");
        return;                         /* touching it now would only kill us */
    }
    TOP_PAGE[PAGE_SIZE - 1] = 7;
    CHECK(TOP_PAGE[PAGE_SIZE - 1] == 7 && TOP_PAGE[0] == 0);
    expect_rp(TOP_PAGE, 0, "the last page");
    printf("new_pages_test: the last page of memory works\n");
}

int main(int argc, char *argv[])
{
    int before;

    test_start("new_pages_test");
    if (argc > 1 && strcmp(argv[1], "top") == 0) {
        top_page();
        return test_finish();
    }
    before = free_frames();
    bad_shapes();
    bad_places();
    overlaps();
    too_big();
    use_and_remove();
    printf("new_pages_test: free frames %d before, %d after\n", before, free_frames());
    return test_finish();
}
