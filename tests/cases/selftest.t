# The self-test kernel (built with -DSELFTEST) runs its checks at boot, then the first program.
kernel: selftest
run: hello
expect: selftest: console ok
expect: selftest: keyboard ok
expect: selftest: keyboard leds ok
expect: selftest: floppy ok
expect: selftest: floppy tracks ok
expect-re: selftest: [0-9]+ passed, 0 failed
expect: Hello from user space!
reject: FAILED
