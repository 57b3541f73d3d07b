# 40 concurrent children with distinct exit statuses; each tid/status pair is collected once.
run: fork_many
expect: fork_many: forked 40 children
expect: fork_many: collected 40 children
expect: fork_many: ok
reject: fork_many: FAILED
reject: kernel: killed
reject: init: frames leaked
status: 0
# Needs more than the 8 MiB of user memory a guest has (its 24 MiB less the kernel's 16).
guest: no
