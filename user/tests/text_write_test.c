/*
 * text_write_test [rodata] - .text (or, with "rodata", .rodata) is
 * read-only: writing to it kills the program with status -2 and a
 * "kernel: killed" line.
 */
#include <stdio.h>
#include <stdint.h>
#include <string.h>

static const char constant[] = "read-only";

int main(int argc, char *argv[])
{
    int rodata = argc > 1 && strcmp(argv[1], "rodata") == 0;
    volatile char *target = rodata ? (volatile char *)constant
                                   : (volatile char *)(uintptr_t)main;

    printf("text_write_test: writing to %s at %p\n", rodata ? ".rodata" : ".text",
           (void *)target);
    *target = 0;
    printf("text_write_test: FAILED: the write succeeded\n");
    return 99;
}
