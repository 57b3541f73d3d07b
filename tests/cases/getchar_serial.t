# COM1 input: getchar gets the bytes as sent, ESC [ A..D as the arrow keys, an ESC not followed
# by '[' as ESC, an unknown ESC [ Z dropped, \r as \n (and \r\n as one \n), DEL as backspace;
# no echo. readline reads (and echoes) a COM1 line that ends in \r.
run: getchar_serial
expect: getchar_serial: send bytes
serial: aB\n\e[A\e[B\e[C\e[D\b\t\ex\e[Zq!\nc\rd\r\ne\x7f\n
expect: getchar_serial: send a line
serial: typed on COM1\r
expect: typed on COM1
expect: getchar_serial: ok
reject: aB
reject: FAILED
