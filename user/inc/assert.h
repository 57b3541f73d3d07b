/*
 * assert.h - assert(e): if e is false, print "file:line: assertion failed: e"
 * and end the whole task with status -1. Compiled out when NDEBUG is defined.
 *
 * Unlike the other headers, this one may be included again with NDEBUG
 * changed, as in standard C, so it has no include guard around assert().
 */
#undef assert

#ifdef NDEBUG
#define assert(e) ((void)0)
#else
#define assert(e) ((e) ? (void)0 : _assert_fail(__FILE__, __LINE__, #e))
#endif

#ifndef _ASSERT_H
#define _ASSERT_H
void _assert_fail(const char *file, int line, const char *expr)
    __attribute__((noreturn));
#endif
