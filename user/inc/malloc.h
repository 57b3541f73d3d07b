/*
 * malloc.h - the heap. malloc, calloc, realloc and free may be called by any thread at any
 * time: they take one lock around the heap. _malloc, _calloc, _realloc and _free are the same
 * without the lock, for a caller that already excludes every other user of the heap.
 */
#ifndef _MALLOC_H
#define _MALLOC_H

#include <stddef.h>

void *malloc(size_t size);
void *calloc(size_t count, size_t size);
void *realloc(void *ptr, size_t size);
void free(void *ptr);

void *_malloc(size_t size);
void *_calloc(size_t count, size_t size);
void *_realloc(void *ptr, size_t size);
void _free(void *ptr);

#endif /* _MALLOC_H */
