# ls lists the "." file; KERNEL.BIN is copied onto the image first.
run: ls
expect-re: [Kk][Ee][Rr][Nn][Ee][Ll]\.[Bb][Ii][Nn]
expect: hello.txt
status: 0
