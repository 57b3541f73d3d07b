# cat reports a missing file, still prints the others, and exits 1.
run: cat hello.txt no_such_file a_file_with_a_rather_long_name_here.txt
expect: Hello, file!
expect: cat: no_such_file: no such file (-4)
expect: This file has a long name.
status: 1
