# help lists the built-ins and the programs on the disk (not the other files).
run: shell
expect: Pebbles shell: type help for the commands and programs.
type: help\n
expect: Built-in commands:
expect-re: .*mandelbrot.*
type: exit\n
reject: hello.txt
status: 0
