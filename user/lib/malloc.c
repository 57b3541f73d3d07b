/*
 * malloc.c - the heap: first fit over an address-ordered free list.
 *
 * The heap is one contiguous range [HEAP_START, heap_end), grown by asking
 * new_pages() for the pages just above heap_end. It is cut into chunks:
 *
 *     chunk                    pointer given to the program
 *     v                        v
 *     +------------+-----------+------------------------------+
 *     | size       | next      | payload: size - 8 bytes      |
 *     +------------+-----------+------------------------------+
 *
 * size counts the whole chunk, header included, and is a multiple of 8, so
 * every chunk and every payload is 8-byte aligned.
 *
 * Free chunks are on free_list, sorted by address. free() puts a chunk back
 * in its place and merges it with a free neighbour on either side, so two
 * free chunks are never adjacent. In an allocated chunk, next holds
 * ALLOCATED, which lets free() refuse pointers that malloc did not hand out
 * and catch a chunk freed twice.
 *
 * malloc, calloc, realloc and free take heap_lock around the work, so any
 * thread may call them; _malloc and friends (malloc.h) are the same without it.
 */
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <stdint.h>
#include <syscall.h>
#include <malloc.h>
#include <mutex.h>

#define HEAP_START      0x40000000u     /* far above programs, far below stacks */
#define HEAP_GROW_MIN   (16 * PAGE_SIZE)        /* fewer, bigger new_pages calls */
#define ALIGNMENT       8
#define MAX_REQUEST     0x7fff0000u     /* new_pages takes an int length */

typedef struct chunk {
    size_t size;                /* bytes, header included; multiple of ALIGNMENT */
    struct chunk *next;         /* free: next free chunk by address; else ALLOCATED */
} chunk_t;

#define HEADER_SIZE     sizeof(chunk_t)
#define MIN_CHUNK       (HEADER_SIZE + ALIGNMENT)
/* Not a multiple of 8, so it can never be a real chunk address. */
#define ALLOCATED       ((chunk_t *)0xA110CA7Eu)

static chunk_t *free_list;
static uintptr_t heap_end = HEAP_START;

static void *payload_of(chunk_t *c) { return (char *)c + HEADER_SIZE; }
static chunk_t *chunk_of(void *p)   { return (chunk_t *)((char *)p - HEADER_SIZE); }
static char *end_of(chunk_t *c)     { return (char *)c + c->size; }

/* Chunk size for a request of size bytes, or 0 if it is far too big. */
static size_t chunk_size_for(size_t size)
{
    size_t need;

    if (size > MAX_REQUEST)
        return 0;
    need = (size + HEADER_SIZE + ALIGNMENT - 1) & ~(size_t)(ALIGNMENT - 1);
    return need < MIN_CHUNK ? MIN_CHUNK : need;
}

/*==== The free list ====*/

/*
 * Takes need bytes out of the free chunk *link. If the rest is big enough
 * to be a chunk, the tail is handed out and the front stays free in place
 * (no list links change); otherwise the whole chunk is.
 */
static chunk_t *take_from(chunk_t **link, size_t need)
{
    chunk_t *c = *link;

    if (c->size - need >= MIN_CHUNK) {
        c->size -= need;
        c = (chunk_t *)end_of(c);
        c->size = need;
    } else {
        *link = c->next;
    }
    c->next = ALLOCATED;
    return c;
}

static chunk_t *first_fit(size_t need)
{
    chunk_t **link;

    for (link = &free_list; *link != NULL; link = &(*link)->next) {
        if ((*link)->size >= need)
            return take_from(link, need);
    }
    return NULL;
}

/* Puts c on the list in address order, merging it with free neighbours. */
static void insert_free(chunk_t *c)
{
    chunk_t *prev = NULL, *next = free_list;

    while (next != NULL && next < c) {
        prev = next;
        next = next->next;
    }
    c->next = next;
    if (next != NULL && end_of(c) == (char *)next) {
        c->size += next->size;
        c->next = next->next;
    }
    if (prev == NULL) {
        free_list = c;
    } else if (end_of(prev) == (char *)c) {
        prev->size += c->size;
        prev->next = c->next;
    } else {
        prev->next = c;
    }
}

/*==== Growing the heap ====*/

/* Maps len bytes at heap_end and frees them into the list. */
static int map_more(size_t len)
{
    chunk_t *c;

    if (len > UINTPTR_MAX - heap_end || new_pages((void *)heap_end, (int)len) < 0)
        return -1;
    c = (chunk_t *)heap_end;
    c->size = len;
    heap_end += len;
    insert_free(c);
    return 0;
}

/*
 * Makes room for a chunk of need bytes. The pages must be right above the
 * heap to keep it contiguous; if something else is mapped there, or memory
 * is short, malloc fails. A generous request is tried first, then the
 * smallest one that would do.
 */
static int grow_heap(size_t need)
{
    size_t len = (need + PAGE_SIZE - 1) & ~(size_t)(PAGE_SIZE - 1);

    if (len < HEAP_GROW_MIN && map_more(HEAP_GROW_MIN) == 0)
        return 0;
    return map_more(len);
}

/*==== The interface without the lock (malloc.h: _malloc and friends) ====*/

void *_malloc(size_t size)
{
    size_t need = chunk_size_for(size);
    chunk_t *c;

    if (need == 0)
        return NULL;
    c = first_fit(need);
    if (c == NULL && grow_heap(need) == 0)
        c = first_fit(need);
    return c != NULL ? payload_of(c) : NULL;
}

void *_calloc(size_t count, size_t size)
{
    void *p;

    if (size != 0 && count > MAX_REQUEST / size)
        return NULL;
    p = _malloc(count * size);
    if (p != NULL)
        memset(p, 0, count * size);     /* reused chunks hold old data */
    return p;
}

/* A pointer free() or realloc() may accept: one malloc handed out, still in use. */
static int is_allocated(void *p)
{
    uintptr_t a = (uintptr_t)p;

    return a % ALIGNMENT == 0 && a >= HEAP_START + HEADER_SIZE && a < heap_end &&
           chunk_of(p)->next == ALLOCATED;
}

/* A bad free is a bug that would corrupt the heap later, far from its cause. */
static void bad_pointer(const char *who, void *p)
{
    printf("%s: bad pointer %p (not from malloc, or already freed)\n", who, p);
    task_vanish(-1);
}

void _free(void *p)
{
    if (p == NULL)
        return;
    if (!is_allocated(p)) {
        bad_pointer("free", p);
        return;
    }
    insert_free(chunk_of(p));
}

/* Keeps the chunk if it is big enough already; otherwise moves the data. */
void *_realloc(void *p, size_t size)
{
    size_t need = chunk_size_for(size);
    void *q;

    if (p == NULL)
        return _malloc(size);
    if (!is_allocated(p)) {
        bad_pointer("realloc", p);
        return NULL;
    }
    if (size == 0) {
        _free(p);
        return NULL;
    }
    if (need == 0)
        return NULL;
    if (chunk_of(p)->size >= need)
        return p;
    q = _malloc(size);
    if (q != NULL) {
        memcpy(q, p, chunk_of(p)->size - HEADER_SIZE);
        _free(p);
    }
    return q;
}

/*==== The interface for threads: one lock around the heap ====*/

static mutex_t heap_lock;               /* zeroed: a free mutex */

void *malloc(size_t size)
{
    void *p;

    mutex_lock(&heap_lock);
    p = _malloc(size);
    mutex_unlock(&heap_lock);
    return p;
}

void *calloc(size_t count, size_t size)
{
    void *p;

    mutex_lock(&heap_lock);
    p = _calloc(count, size);
    mutex_unlock(&heap_lock);
    return p;
}

void *realloc(void *p, size_t size)
{
    mutex_lock(&heap_lock);
    p = _realloc(p, size);
    mutex_unlock(&heap_lock);
    return p;
}

void free(void *p)
{
    mutex_lock(&heap_lock);
    _free(p);
    mutex_unlock(&heap_lock);
}
