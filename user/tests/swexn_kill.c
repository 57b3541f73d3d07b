/*
 * swexn_kill MODE - when a registered handler cannot be run, the fault kills the program as if
 * there were no handler: a "kernel: killed" line, and status -2 whatever set_status said
 * (doc/syscalls.md 9). Each mode ends in that death; its .t file expects it.
 *
 *   nested    the handler is removed when a fault is delivered: a second fault inside
 *             the handler (which registers nothing) kills
 *   unmapped  the exception stack is unmapped memory
 *   readonly  the exception stack is read-only (.rodata)
 *   low       esp3 just above 0x01000000: the frame would reach into kernel memory
 *   edge      the frame (ureg, pointer, arg, return address: 92 bytes) fits exactly
 *             above an unmapped page: handled. With esp3 one word lower (given unaligned,
 *             so rounding down must happen): only the return address would land in the
 *             unmapped page, and that kills
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include "testlib.h"
#include "fault_ud2.h"

#define FRAME_SIZE      (sizeof(ureg_t) + 3 * 4)        /* what the kernel pushes: 92 */
#define EDGE_PAGE       ((char *)0x30000000)            /* nothing mapped below it */
#define UNMAPPED_STACK  ((char *)0x30100000)

static char exn_stack[8 * 1024] __attribute__((aligned(16)));
#define EXN_TOP (exn_stack + sizeof exn_stack)
static const char ro_stack[2 * PAGE_SIZE] __attribute__((aligned(PAGE_SIZE))) = { 1 };


/* A handler that must never run. */
static void never_handler(void *arg, ureg_t *ureg)
{
    (void)arg;
    (void)ureg;
    printf("swexn_kill: FAILED: the handler ran\n");
    task_vanish(1);
}

/* The nested case's handler: says it runs, then faults again. */
static void nested_handler(void *arg, ureg_t *ureg)
{
    (void)arg;
    printf("swexn_kill: in the handler (cause %u), faulting again\n", ureg->cause);
    fault_ud2();
    printf("swexn_kill: FAILED: the second fault was handled\n");
    task_vanish(1);
}

/*
 * The edge case's handler. It must not touch the stack below where the kernel entered it,
 * since that is the unmapped page, so it is written in assembly with no push or call: in C
 * terms, edge_esp = esp; ureg->eip = fault_ud2_resume; swexn(0, 0, 0, ureg) using a packet
 * in static memory (edge_packet = { 0, 0, 0, ureg }).
 */
unsigned int edge_esp, edge_packet[4];
void edge_handler(void *arg, ureg_t *ureg);
__asm__(".text\n"
        "edge_handler:\n"
        "    movl %esp, edge_esp\n"
        "    movl 8(%esp), %eax\n"                     /* eax = ureg */
        "    movl %eax, edge_packet+12\n"
        "    movl $fault_ud2_resume, 60(%eax)\n"       /* ureg->eip (word 15) */
        "    movl $edge_packet, %esi\n"
        "    int $0x74\n"                              /* swexn(0, 0, 0, ureg) */
        "    ud2\n");                                  /* refused: die visibly */

static void die_with(void *esp3, swexn_handler_t handler, const char *what)
{
    set_status(7);                              /* the kill must override this */
    if (swexn(esp3, handler, NULL, NULL) != 0) {
        printf("swexn_kill: FAILED: cannot register with esp3 %p\n", esp3);
        task_vanish(1);
    }
    printf("swexn_kill: %s: faulting\n", what);
    fault_ud2();
    printf("swexn_kill: FAILED: survived (%s)\n", what);
    task_vanish(1);
}

static void edge(void)
{
    ureg_t *ureg = (ureg_t *)(EDGE_PAGE + FRAME_SIZE - sizeof(ureg_t));

    if (new_pages(EDGE_PAGE, PAGE_SIZE) != 0) {
        printf("swexn_kill: FAILED: new_pages\n");
        task_vanish(1);
    }
    /* esp3 3 bytes above an exact fit: rounded down, it fits. */
    CHECK_INT(swexn(EDGE_PAGE + FRAME_SIZE + 3, edge_handler, NULL, NULL), 0);
    fault_ud2();
    CHECK(edge_esp == (unsigned int)EDGE_PAGE);
    CHECK_INT(ureg->cause, SWEXN_CAUSE_OPCODE);
    CHECK(ureg->eip == (unsigned int)fault_ud2_resume);         /* as the handler set it */
    CHECK_INT(ureg->cs, user_cs());
    CHECK_INT(*(unsigned int *)EDGE_PAGE, 0);                   /* return address */
    CHECK(*(ureg_t **)(EDGE_PAGE + 8) == ureg);
    if (test_failures == 0)
        printf("swexn_kill: exact fit handled\n");
    /* One byte less: rounded down, the return address falls below EDGE_PAGE. */
    die_with(EDGE_PAGE + FRAME_SIZE - 1, edge_handler, "frame one word too low");
}

int main(int argc, char *argv[])
{
    const char *mode = argc > 1 ? argv[1] : "";

    test_start("swexn_kill");
    if (strcmp(mode, "nested") == 0)
        die_with(EXN_TOP, nested_handler, "nested");
    else if (strcmp(mode, "unmapped") == 0)
        die_with(UNMAPPED_STACK, never_handler, "unmapped exception stack");
    else if (strcmp(mode, "readonly") == 0)
        die_with((char *)ro_stack + sizeof ro_stack, never_handler,
                 "read-only exception stack");
    else if (strcmp(mode, "low") == 0)
        die_with((char *)0x01000000 + 40, never_handler, "exception stack reaching the kernel");
    else if (strcmp(mode, "edge") == 0)
        edge();
    printf("swexn_kill: FAILED: unknown mode \"%s\"\n", mode);
    return 1;
}
