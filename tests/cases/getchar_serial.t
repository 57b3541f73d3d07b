# COM1 input: getchar gets the bytes as sent, ESC [ A..D as the arrow keys, an ESC not followed
# by '[' as ESC, an unknown ESC [ Z dropped; no echo. readline reads (and echoes) a COM1 line.
run: getchar_serial
expect: getchar_serial: send bytes
serial: aB\n\e[A\e[B\e[C\e[D\b\t\ex\e[Zq!\n
expect: getchar_serial: send a line
serial: typed on COM1\n
expect: typed on COM1
expect: getchar_serial: ok
reject: aB
reject: FAILED
