/*
 * simics.h - talking to the debugger and the debug log (the name is 15-410's, whose
 * simulator was Simics; here the log is Bochs's port 0xE9 and COM1).
 *
 *   lprintf("x = %d", x);   one line to the kernel's debug log, never the screen
 *   MAGIC_BREAK;            stop in Bochs's debugger (bochsrc sets magic_break), a no-op elsewhere
 */
#ifndef _SIMICS_H
#define _SIMICS_H

void lprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Bochs's magic breakpoint: the instruction changes nothing, so other machines just run on. */
#define MAGIC_BREAK __asm__ volatile("xchgw %%bx, %%bx" ::: "memory")

#endif /* _SIMICS_H */
