# printf/snprintf formats; some lines go through printf for real.
run: printf_test
expect: printf_test: -42 beef text ! %
expect: printf_test: [    12|12    |000012]
expect: printf_test: puts line
expect: printf_test: ok
reject: printf_test: FAILED
status: 0
