# The fuzzer (user/tests/fuzz.c) briefly, with a fixed seed: 10,000 random system calls with
# hostile arguments from threaded and single-threaded tasks, memory flipped under the calls,
# every misbehave mode in turn. The kernel stays up and every frame comes back. Long runs:
# ./build.sh fuzz N [SEED].
run: fuzz 10000 1
expect: fuzz: seed 1
expect-re: fuzz: 10000 calls, [0-9]+ tasks killed, kernel alive
reject: FAILED
timeout: 60
