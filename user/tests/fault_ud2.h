/*
 * fault_ud2.h - for the swexn tests: fault_ud2() executes ud2 (an invalid-opcode fault) at
 * fault_ud2_at; a handler that sets ureg->eip = fault_ud2_resume makes it return normally.
 * Include it from one file of a program only (it defines the function).
 */
#ifndef _FAULT_UD2_H
#define _FAULT_UD2_H

void fault_ud2(void);
extern char fault_ud2_at[], fault_ud2_resume[];
__asm__(".text\n"
        ".globl fault_ud2, fault_ud2_at, fault_ud2_resume\n"
        "fault_ud2:\n"
        "fault_ud2_at:\n"
        "    ud2\n"
        "fault_ud2_resume:\n"
        "    ret\n");

#endif /* _FAULT_UD2_H */
