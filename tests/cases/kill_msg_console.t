# The kernel's message about a killed thread, written while another thread moves the task
# from console to console (each new_console frees the previous one and sets it up again).
# Found by `fuzz 20000 1` in Bochs (KERNEL PANIC: m->owner == current, in mutex_unlock from
# printf from user_fault) before the kernel's printf held the console it writes on.
run: kill_msg_console
expect: kill_msg_console: kernel alive
timeout: 60
