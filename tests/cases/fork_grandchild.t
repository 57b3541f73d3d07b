# Orphaned grandchildren (one still running, one already exited) go to init, not to us: our
# wait sees only the child. init reaps both; the sleeper prints after we finished.
run: fork_grandchild
expect-re: fork_grandchild: child exiting, grandchildren [0-9]+ and [0-9]+ unwaited
expect: fork_grandchild: wait sees only the child
expect: fork_grandchild: ok
expect: fork_grandchild: sleeper grandchild exiting
reject: fork_grandchild: FAILED
reject: kernel: killed
reject: init: frames leaked
reject: init: wait failed
status: 0
