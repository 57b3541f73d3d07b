/*
 * stack_test [overflow] - the stack grows on demand (autostack.c):
 * deep recursion and a big local array far below the initial stack work.
 * With "overflow", recursion without end must be stopped: autostack says
 * "stack overflow", the kernel kills the program, status -2.
 * Needs swexn and new_pages.
 */
#include <stdio.h>
#include <string.h>
#include "testlib.h"

#define FRAME_SIZE  1024
#define DEPTH       600                 /* about 650 KiB of stack in all */
#define BIG_ARRAY   (256 * 1024)

/* Returns depth; the volatile frame keeps the compiler from flattening it. */
static int recurse(int depth)
{
    volatile char frame[FRAME_SIZE];

    frame[0] = (char)depth;
    frame[FRAME_SIZE - 1] = (char)depth;
    if (depth == 0)
        return 0;
    return recurse(depth - 1) + 1 + frame[0] - frame[FRAME_SIZE - 1];
}

/* Touches the array's lowest byte first: a fault far below the stack's end. */
static int touch_big_array(void)
{
    volatile char big[BIG_ARRAY];

    big[0] = 1;
    big[BIG_ARRAY / 2] = 2;
    big[BIG_ARRAY - 1] = 3;
    return big[0] + big[BIG_ARRAY / 2] + big[BIG_ARRAY - 1];
}

/* "Forever": a limit the compiler cannot see, so it does not reject the loop. */
static volatile int no_limit = 0x7fffffff;

static int recurse_forever(int depth)
{
    volatile char frame[FRAME_SIZE];

    frame[0] = (char)depth;
    if (depth == no_limit)
        return 0;
    return recurse_forever(depth + 1) + frame[0];
}

int main(int argc, char *argv[])
{
    test_start("stack_test");
    if (argc > 1 && strcmp(argv[1], "overflow") == 0) {
        printf("stack_test: recursing without end\n");
        recurse_forever(0);
        printf("stack_test: FAILED: came back\n");
        return 99;
    }
    CHECK_INT(touch_big_array(), 6);
    CHECK_INT(recurse(DEPTH), DEPTH);
    CHECK_INT(recurse(DEPTH), DEPTH);           /* again, on the grown stack */
    return test_finish();
}
