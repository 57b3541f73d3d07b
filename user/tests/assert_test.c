/*
 * assert_test MODE - the checks of assert.h, the unlocked heap of malloc.h and MAGIC_BREAK.
 *
 *   ok          what must not stop the program: affirm and affirm_msg of true conditions,
 *               _malloc/_calloc/_realloc/_free, MAGIC_BREAK (Bochs's magic breakpoint does
 *               nothing where it is not enabled: QEMU, the test harness's Bochs), types.h
 *   affirm      affirm(0): "panic: FILE:LINE: affirm failed: ...", status -2
 *   affirm_msg  affirm_msg with a formatted message: "panic: " and the message, status -2
 *   panic       panic() itself, from a thread while another sleeps: the whole task ends
 *   ndebug      with NDEBUG, assert(0) is gone but affirm(0) still stops the program
 */
#include <stdio.h>
#include <string.h>
#include <malloc.h>
#include <simics.h>
#include <types.h>
#include <thread.h>
#include <syscall.h>
#include <assert.h>

static int ok_mode(void)
{
    uint32_t *p = _malloc(64), *q = _calloc(4, sizeof *q);
    size_t size = sizeof(uint64_t);

    affirm(p != NULL && q != NULL);
    affirm_msg(q[3] == 0, "calloc gave %u", (unsigned)q[3]);
    p[15] = 0xABCD;
    p = _realloc(p, 4096);
    affirm_msg(p != NULL && p[15] == 0xABCD, "realloc lost the contents");
    _free(p);
    _free(q);
    MAGIC_BREAK;
    printf("assert_test: ok (size_t %u, uint64_t %u bytes)\n", (unsigned)sizeof size,
           (unsigned)size);
    return 0;
}

static void *panic_in_thread(void *arg)
{
    (void)arg;
    panic("assert_test: thread %d gives up (%s)", thr_getid(), "on purpose");
    return NULL;
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "ok";

    if (strcmp(mode, "ok") == 0)
        return ok_mode();
    printf("assert_test: %s\n", mode);
    if (strcmp(mode, "affirm") == 0)
        affirm(argc == 99);
    if (strcmp(mode, "affirm_msg") == 0)
        affirm_msg(argc == 99, "argc is %d, not %d", argc, 99);
    if (strcmp(mode, "panic") == 0) {
        thr_init(4096);
        thr_join(thr_create(panic_in_thread, NULL), NULL);
    }
    if (strcmp(mode, "ndebug") == 0) {
#define NDEBUG
#include <assert.h>
        assert(argc == 99);
        printf("assert_test: assert(0) compiled out\n");
        affirm(argc == 99);
    }
    printf("assert_test: FAILED: still running\n");
    return 1;
}
