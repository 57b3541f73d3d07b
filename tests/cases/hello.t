# The first program prints one line and exits with status 0.
run: hello
expect: Hello from user space!
status: 0
