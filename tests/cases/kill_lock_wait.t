# task_vanish while a thread of the task waits for a kernel mutex (a console's out_lock, held
# by another thread's print): every task ends. Found by `fuzz 1000000 777` in Bochs, which
# hung with a killed thread asleep for good in mutex_lock, before mutex_wait took a mutex it
# found free after a kill's wakeup (kernel.c section 17).
run: kill_lock_wait
expect: kill_lock_wait: 60 of 60 tasks ended
timeout: 30
