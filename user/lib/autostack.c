/*
 * autostack.c - growing the stack on demand (doc/syscalls.md section 12).
 *
 * The kernel gives a program a small initial stack [stack_low, stack_high]
 * and leaves growth to user space. install_autostack() registers a swexn
 * handler; when the program touches the unmapped page(s) below the stack,
 * the handler maps more with new_pages() and resumes the faulting
 * instruction, which then succeeds:
 *
 *     stack_top  ----------------  (page after stack_high; may wrap to 0)
 *                | initial stack |
 *     low        ----------------  <- grows down, GROW_STEP at a time
 *                |  unmapped     |  a fault here (cr2) is stack growth
 *     limit      ----------------  = stack_top - STACK_MAX
 *
 * The handler runs on its own small stack (the real stack is what just
 * faulted). The kernel removes a handler when it delivers a fault, so the
 * handler re-registers itself in the same swexn call that resumes the
 * program; a fault inside the handler therefore simply kills the thread.
 *
 * Any other fault is not ours: the handler resumes the program with no
 * handler registered, the same instruction faults again, and the kernel
 * reports it and kills the thread (status -2), exactly as if autostack did
 * not exist.
 *
 * Only the thread that calls install_autostack (the first one) is covered;
 * the thread library gives its threads their own stacks, and once it is
 * initialised a fault that is not growth goes to its crash report instead
 * (_autostack_fault_hook), which ends the whole task. fork() copies
 * everything, handler included, so children keep growing their stacks.
 *
 * This file also records where the first thread's stack may be, for the
 * thread library's thr_self() (thr_internals.h).
 */
#include <stdlib.h>
#include <stdio.h>
#include <stdint.h>
#include <syscall.h>
#include <thr_internals.h>

#define STACK_MAX       (1024 * 1024)   /* the whole stack, initial part included */
#define GROW_STEP       (64 * 1024)     /* map at least this much per fault */
#define OVERFLOW_ZONE   (64 * 1024)     /* faults this far below limit: overflow */
#define HANDLER_STACK_SIZE (8 * 1024)   /* enough for printf's 1 KiB buffer */

static char handler_stack[HANDLER_STACK_SIZE] __attribute__((aligned(16)));

static uintptr_t stack_low;     /* lowest mapped stack address, page-aligned */
static uintptr_t stack_limit;   /* the stack may grow down to here, no further */

static void autostack_handler(void *arg, ureg_t *ureg);

/* The first thread's place for thr_self(); the slots below it come with thr_init. */
uintptr_t _thr_area_top;
uintptr_t _thr_area_bottom;
uintptr_t _thr_slot_size = PAGE_SIZE;
struct thr _thr_main;
struct thr _thr_foreign;
void (*_autostack_fault_hook)(ureg_t *ureg);

static uintptr_t page_down(uintptr_t a) { return a & ~(uintptr_t)(PAGE_SIZE - 1); }

/*
 * (Re-)registers the handler. With a ureg this also resumes the program
 * with those registers and returns only if swexn refused.
 */
static int register_handler(ureg_t *resume)
{
    return swexn(handler_stack + sizeof handler_stack, autostack_handler, NULL, resume);
}

int install_autostack(void *stack_high, void *stack_low_initial)
{
    /* Unsigned arithmetic on purpose: a stack ending at 0xFFFFFFFF has
     * stack_top 0, and 0 - STACK_MAX is still the right limit. */
    uintptr_t stack_top = page_down((uintptr_t)stack_high) + PAGE_SIZE;

    stack_low = page_down((uintptr_t)stack_low_initial);
    stack_limit = stack_top - STACK_MAX;
    _thr_area_top = _thr_area_bottom = stack_limit - OVERFLOW_ZONE;
    return register_handler(NULL);
}

static int is_stack_growth(const ureg_t *ureg)
{
    return ureg->cause == SWEXN_CAUSE_PAGEFAULT &&
           ureg->cr2 >= stack_limit && ureg->cr2 < stack_low;
}

static int is_stack_overflow(const ureg_t *ureg)
{
    return ureg->cause == SWEXN_CAUSE_PAGEFAULT &&
           ureg->cr2 < stack_limit && ureg->cr2 >= stack_limit - OVERFLOW_ZONE;
}

/*
 * Maps the stack down to cover addr: at least GROW_STEP more, never past
 * the limit. If the big step fails (e.g. memory is short), tries just the
 * pages that are needed. Returns 0 on success.
 */
static int grow_stack_to(uintptr_t addr)
{
    uintptr_t needed = page_down(addr);
    uintptr_t low = (stack_low - stack_limit > GROW_STEP) ? stack_low - GROW_STEP
                                                          : stack_limit;
    int err;

    if (needed < low)
        low = needed;
    err = new_pages((void *)low, (int)(stack_low - low));
    if (err < 0 && low < needed) {
        low = needed;
        err = new_pages((void *)low, (int)(stack_low - low));
    }
    if (err < 0) {
        printf("autostack: cannot grow the stack to %p: new_pages error %d\n",
               (void *)addr, err);
        return err;
    }
    stack_low = low;
    return 0;
}

/* Entered by the kernel, as if called, on the handler stack. */
static void autostack_handler(void *arg, ureg_t *ureg)
{
    (void)arg;
    if (is_stack_growth(ureg) && grow_stack_to(ureg->cr2) == 0) {
        register_handler(ureg);         /* resumes the program; returns on error */
        /* swexn refused our ureg: below, resuming without a handler is
         * tried; the program then runs on, with no further stack growth. */
        printf("autostack: swexn refused to resume the program\n");
    }

    if (_autostack_fault_hook)
        _autostack_fault_hook(ureg);    /* does not return */
    if (is_stack_overflow(ureg))
        printf("autostack: stack overflow (more than %d KiB) at %p\n",
               STACK_MAX / 1024, (void *)ureg->cr2);

    /* Not ours to fix: fault again with no handler, so the kernel kills us. */
    swexn(NULL, NULL, NULL, ureg);
    task_vanish(-2);                    /* only if even that was refused */
}
