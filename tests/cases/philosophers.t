# 5 philosopher threads share 5 fork mutexes for 5 s, then are stopped and joined: the summary,
# everybody fed (fewest at least 1), status 0; the key thread left in getchar ends with the task.
run: philosophers 5 5
expect-re: philosophers: 5 ate [0-9]+ meals, fewest [1-9][0-9]*, most [1-9][0-9]*
reject: philosophers: FAILED
reject: init: frames leaked
reject: kernel: killed
status: 0
timeout: 40
