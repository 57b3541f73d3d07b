# readfile(): offsets, ends, bad arguments, the "." listing, long names.
# Needs disk/hello.txt, disk/lines.txt, disk/a_file_with_a_rather_long_name_here.txt.
run: readfile_test
expect: readfile_test: ok
reject: readfile_test: FAILED
status: 0
