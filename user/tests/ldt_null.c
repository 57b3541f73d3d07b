/*
 * ldt_null - there is no LDT: an LDT selector names no descriptor, so LAR of one just fails
 * (ZF clear). With the LDT register left at its reset value (base 0, limit 0xFFFF), the CPU
 * read "descriptors" from page 0 and the kernel's windows onto other tasks' frames: the first
 * faulted at cr2 0x8, the second read whatever frame was mapped at 0x1000.
 */
#include <stdio.h>

/* LAR of a selector: 1 if the CPU found a descriptor it may report. */
static int lar_ok(unsigned int sel)
{
    unsigned int rights = 0;
    unsigned char ok = 0;
    __asm__ volatile("lar %2, %0\n\tsetz %1" : "=r"(rights), "=q"(ok) : "r"(sel) : "cc");
    return ok;
}

int main(void)
{
    static const unsigned int sels[] = { 0x000F, 0x1007, 0x8007, 0xFFFF };
    int found = 0;
    for (unsigned int i = 0; i < sizeof sels / sizeof sels[0]; i++)
        found += lar_ok(sels[i]);
    printf("ldt_null: %d LDT selectors named a descriptor\n", found);
    return found != 0;
}
