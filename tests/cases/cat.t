# cat prints a file from the floppy through readfile.
run: cat hello.txt
expect: Hello, file!
expect: This is the second line.
status: 0
