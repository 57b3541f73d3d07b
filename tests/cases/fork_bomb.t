# Fork until fork fails with -5 (a chain of waiting tasks, then a fan of descheduled children);
# everything is collected, the kernel still works and no frame is lost.
run: fork_bomb
expect-re: fork_bomb: chain: fork failed with -5 at depth [0-9]+
expect-re: fork_bomb: chain: [0-9]+ tasks created
expect-re: fork_bomb: chain: fork works again; .*
expect-re: fork_bomb: fan: [0-9]+ children, then fork returned -5
expect-re: fork_bomb: fan: collected [0-9]+
expect-re: fork_bomb: fan: fork works again; .*
expect: fork_bomb: ok
reject: fork_bomb: FAILED
reject: kernel: killed
reject: init: frames leaked
status: 0
timeout: 60
