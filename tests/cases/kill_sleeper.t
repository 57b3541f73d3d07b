# task_vanish while a sibling sleeps for months: the sleeper is woken, dies, and the task ends.
run: kill_sleeper
expect-re: kill_sleeper: wait -> [0-9]+
expect: kill_sleeper: status 7
