# Strings, memory, ctype, strtol, sscanf, qsort, rand.
run: libc_test
expect: libc_test: ok
reject: libc_test: FAILED
status: 0
