/*
 * qsort.c - sorting an array, by heapsort.
 *
 * Heapsort rather than quicksort: O(n log n) even for sorted or adversarial
 * input, no recursion (a small stack suffices) and no extra memory.
 * Like every qsort, it is not stable.
 */
#include <stdlib.h>

typedef int (*compare_fn)(const void *, const void *);

static void swap_bytes(char *a, char *b, size_t size)
{
    char t;

    for (; size > 0; size--, a++, b++) {
        t = *a;
        *a = *b;
        *b = t;
    }
}

/*
 * The array [0, count) is a max-heap (each element >= its children 2i+1,
 * 2i+2) except perhaps at root; moves root's element down until it holds.
 */
static void sift_down(char *base, size_t size, size_t root, size_t count,
                      compare_fn compare)
{
    size_t child;

    while ((child = 2 * root + 1) < count) {
        if (child + 1 < count &&
            compare(base + (child + 1) * size, base + child * size) > 0)
            child++;                    /* the bigger child */
        if (compare(base + root * size, base + child * size) >= 0)
            return;
        swap_bytes(base + root * size, base + child * size, size);
        root = child;
    }
}

void qsort(void *array, size_t count, size_t size, compare_fn compare)
{
    char *base = array;
    size_t i, end;

    if (count < 2 || size == 0)
        return;
    for (i = count / 2; i-- > 0;)       /* build the heap, bottom up */
        sift_down(base, size, i, count, compare);
    for (end = count - 1; end > 0; end--) {
        /* The biggest remaining element goes to the end of the unsorted part. */
        swap_bytes(base, base + end * size, size);
        sift_down(base, size, 0, end, compare);
    }
}
