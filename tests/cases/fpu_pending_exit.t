# Children end (exit, fault, task_vanish) with an unmasked x87 error pending: the kernel must
# not raise it in kernel mode (Bochs used to panic: "x87 error in kernel mode").
run: fpu_pending_exit
expect: fpu_pending_exit: statuses 5 -2 6
expect: fpu_pending_exit: ok
reject: KERNEL PANIC
reject: init: frames leaked
status: 0
