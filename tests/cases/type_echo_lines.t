# The typing harness: after: waits for a prompt that ends no line; a keyboard line edited with
# Backspace; a COM1 line; a screenshot while the program waits for a third line.
run: type_echo lines 3
expect: type_echo: ready
after: >\s
type: Hellp\bo, World!\n
expect: type_echo: [Hello, World!\n]
after: >\s
serial: from COM1 {pause 2}~|\n
expect: type_echo: [from COM1 ~|\n]
after: >\s
screenshot: type_echo_lines
screen: > Hello, World!
screen: type_echo: [Hello, World!\\n]
screen: > from COM1 ~|
type: \n
expect: type_echo: [\n]
expect: type_echo: ok
