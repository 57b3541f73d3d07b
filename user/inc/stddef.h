/*
 * stddef.h - size_t, ptrdiff_t, NULL and offsetof, for a 32-bit x86 program.
 */
#ifndef _STDDEF_H
#define _STDDEF_H

typedef unsigned int size_t;
typedef int ptrdiff_t;

#define NULL ((void *)0)
#define offsetof(type, member) __builtin_offsetof(type, member)

#endif /* _STDDEF_H */
