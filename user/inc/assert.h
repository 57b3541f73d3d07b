/*
 * assert.h - checks that stop the program when they fail.
 *
 *   assert(e)                  if e is false: "file:line: assertion failed: e", and the task
 *                              ends with status -1. Compiled out when NDEBUG is defined.
 *   affirm(e)                  the same check, never compiled out; ends the task with panic.
 *   affirm_msg(e, fmt, ...)    affirm with a message of your own, formatted as printf does.
 *   panic(fmt, ...)            prints "panic: " and the message, then ends the whole task
 *                              (every thread) with status -2.
 *
 * Unlike the other headers, this one may be included again with NDEBUG changed, as in
 * standard C, so it has no include guard around assert().
 */
#undef assert

#ifdef NDEBUG
#define assert(e) ((void)0)
#else
#define assert(e) ((e) ? (void)0 : _assert_fail(__FILE__, __LINE__, #e))
#endif

#ifndef _ASSERT_H
#define _ASSERT_H

#define affirm(e) ((e) ? (void)0 : panic("%s:%d: affirm failed: %s", __FILE__, __LINE__, #e))
#define affirm_msg(e, ...) ((e) ? (void)0 : panic(__VA_ARGS__))

void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
void _assert_fail(const char *file, int line, const char *expr)
    __attribute__((noreturn));
#endif
