/*
 * stdlib.h - numbers, sorting, the heap, and program start and end.
 */
#ifndef _STDLIB_H
#define _STDLIB_H

#include <stddef.h>

#define RAND_MAX 0x7fff
#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1

int atoi(const char *s);
long atol(const char *s);
long strtol(const char *s, char **endp, int base);
unsigned long strtoul(const char *s, char **endp, int base);
int abs(int x);
long labs(long x);

int rand(void);
void srand(unsigned int seed);

void qsort(void *base, size_t count, size_t size,
           int (*compare)(const void *, const void *));

/* The heap lives in new_pages() regions from HEAP_START upward. */
void *malloc(size_t size);
void *calloc(size_t count, size_t size);
void *realloc(void *ptr, size_t size);
void free(void *ptr);

/* exit(s) is task_vanish(s): every thread of the task ends. */
void exit(int status) __attribute__((noreturn));

/*
 * Program start (user/lib/crt0.c and autostack.c). _main records the initial
 * stack region the kernel reported, then install_autostack() registers a swexn
 * handler that grows the stack downward on demand, up to 1 MiB in all.
 * install_autostack returns 0, or swexn's error if no handler could be set
 * (the program then runs with the stack it was given).
 */
extern void *_stack_high_initial;       /* highest address of the initial stack */
extern void *_stack_low_initial;        /* lowest address of the initial stack */
int install_autostack(void *stack_high, void *stack_low);

#endif /* _STDLIB_H */
