# Big arrays on the initial 256 KiB stack: 64 KiB (zero before use), 4 x 25 KiB nested, 200 KiB.
run: stack_array
expect-re: stack_array: 64 KiB array at 0x[0-9a-f]+, 0 non-zero bytes before use
expect: stack_array: 64 KiB array checked
expect: stack_array: 4 nested 25 KiB arrays checked
expect-re: stack_array: 200 KiB array at 0x[0-9a-f]+, stack bottom 0x[0-9a-f]+
expect: stack_array: ok
reject: FAILED
reject: kernel: killed
reject: init: frames leaked
status: 0
