# exec: arguments arrive exactly (spaces and empty strings kept), 64 args/4 KiB, 128 args and
# 8192 bytes work; 129 args or 8193+ bytes give -11; missing file -4, non-ELF -6, bad name/argv
# pointers -3; after every failed exec the caller runs on intact, with no frame lost; exec
# frees the old image's regions and heap.
run: exec_args
expect: exec_args: too many args / too many bytes refused with -11
expect: exec_args: missing and non-ELF files refused
expect: exec_args: bad name and argv pointers refused
expect-re: exec_args: still running after the failed execs .*
expect: exec_args: verified argc=64 bytes=4096
expect: exec_args: verified argc=128 bytes=1000
expect: exec_args: verified argc=10 bytes=8192
expect: exec_args: 64 args/4 KiB, 128 args and 8192 bytes worked
expect: exec_args: ok
expect: exec_args: now exec args_test
expect: args_test: argc=5
expect: args_test: argv[0]=args_test
expect: args_test: argv[1]=one
expect: args_test: argv[2]=two words
expect: args_test: argv[3]=
expect: args_test: argv[4]=last
expect: args_test: ok
reject: FAILED
reject: kernel: killed
reject: init: frames leaked
status: 0
