/*
 * types.h - the sizes and exact-width integers Pebbles programs use without naming stdint.h.
 */
#ifndef _TYPES_H
#define _TYPES_H

#include <stddef.h>
#include <stdint.h>

#endif /* _TYPES_H */
