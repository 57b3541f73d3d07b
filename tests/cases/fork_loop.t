# 1000 rounds of fork/exit/wait: every tid and status right, no frame lost.
run: fork_loop
expect: fork_loop: 100 rounds
expect: fork_loop: 1000 rounds
expect-re: fork_loop: 1000 rounds done, .*
expect: fork_loop: ok
reject: fork_loop: FAILED
reject: kernel: killed
reject: init: frames leaked
status: 0
timeout: 60
