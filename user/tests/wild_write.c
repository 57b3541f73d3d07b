/*
 * wild_write MODE - one bad memory access; the kernel must kill us (status -2, a "kernel:
 * killed" line) and go on. fault_test covers a write to 0x100000, a write to 0xdead0000 and a
 * read of address 0; these are the rest:
 *   kernel      write to kernel memory, 0x00100000                      (the default)
 *   kread       read kernel memory: the kernel image at 0x00010000
 *   kjump       jump to kernel memory, 0x00100000
 *   nulljump    call a NULL function pointer
 *   low         write to the last kernel page, 0x00fff000, just below user memory
 *   end         write to the first page past our image (after .bss)
 *   top         read the last word of memory, 0xfffffffc (above the stack)
 *   unmapped    jump into unmapped user memory, 0xdead0000
 * Every mode sets status 1 first: -2 must replace it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <syscall.h>
#include "testlib.h"

typedef void (*code_t)(void);

/* Volatile, so the compiler cannot see the bad address and drop or rewrite the access. */
static volatile uintptr_t target;

static void write_word(uintptr_t a) { target = a; *(volatile int *)target = 0x0badf00d; }
static void read_word(uintptr_t a) { target = a; set_status(*(volatile int *)target); }
static void jump_to(uintptr_t a) { target = a; ((code_t)target)(); }

int main(int argc, char *argv[])
{
    const char *mode = argc > 1 ? argv[1] : "kernel";

    set_status(1);
    printf("wild_write: %s\n", mode);
    if (strcmp(mode, "kernel") == 0)
        write_word(0x00100000);
    else if (strcmp(mode, "kread") == 0)
        read_word(0x00010000);
    else if (strcmp(mode, "kjump") == 0)
        jump_to(0x00100000);
    else if (strcmp(mode, "nulljump") == 0)
        jump_to(0);
    else if (strcmp(mode, "low") == 0)
        write_word(0x00fff000);
    else if (strcmp(mode, "end") == 0)
        write_word((uintptr_t)test_unmapped_page());
    else if (strcmp(mode, "top") == 0)
        read_word(0xfffffffc);
    else if (strcmp(mode, "unmapped") == 0)
        jump_to(0xdead0000);
    else {
        printf("wild_write: FAILED: unknown mode %s\n", mode);
        return 3;
    }
    printf("wild_write: FAILED: survived the access\n");
    return 99;
}
