# task_vanish while a sibling spins in user mode: the sibling dies at its next timer tick (the
# kill taken on the way out of an interrupt), and the parent collects the status.
run: kill_spinner
expect-re: kill_spinner: wait -> [0-9]+
expect: kill_spinner: status 7
