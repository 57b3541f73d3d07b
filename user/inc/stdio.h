/*
 * stdio.h - formatted output through the print() system call, and sscanf.
 *
 * There is no FILE and no buffering between calls: each printf()/puts() call
 * reaches the console with a single print() when its output fits in 1 KiB
 * (PRINTF_BUFSIZE), so lines from different tasks do not mix and nothing is
 * lost when a program exits or is killed.
 *
 * Conversions: %d %i %u %o %x %X %p %s %c %%, flags '-' '0' '+' ' ' '#',
 * width and precision (numbers or '*'), length modifiers 'l', 'z' accepted
 * (int, long and size_t are all 32 bits here; 'll' is not supported).
 * %p prints 0x followed by 8 hex digits; a NULL %s prints "(null)".
 *
 * getchar() is a system call (see syscall.h); it is not declared here.
 */
#ifndef _STDIO_H
#define _STDIO_H

#include <stdarg.h>
#include <stddef.h>

#define PRINTF_BUFSIZE 1024
#define EOF (-1)

#define PRINTF_LIKE(fmt, args) __attribute__((format(printf, fmt, args)))
#define SCANF_LIKE(fmt, args) __attribute__((format(scanf, fmt, args)))

int printf(const char *fmt, ...) PRINTF_LIKE(1, 2);
int vprintf(const char *fmt, va_list ap) PRINTF_LIKE(1, 0);
int sprintf(char *buf, const char *fmt, ...) PRINTF_LIKE(2, 3);
int snprintf(char *buf, size_t size, const char *fmt, ...) PRINTF_LIKE(3, 4);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap) PRINTF_LIKE(3, 0);
int puts(const char *s);                /* s and a newline */
int putchar(int c);

/* Conversions: %d %i %u %x %o %s %c %%; '*' reads a field without storing
 * it, a width limits a field's characters, 'l' is accepted. Whitespace in
 * the format matches any amount of it. Returns the number of fields stored,
 * or EOF if the input ended before the first one. */
int sscanf(const char *str, const char *fmt, ...) SCANF_LIKE(2, 3);
int vsscanf(const char *str, const char *fmt, va_list ap) SCANF_LIKE(2, 0);

#endif /* _STDIO_H */
