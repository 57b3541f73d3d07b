# hello.txt's last FAT entry points back to its first cluster: a chain with no end.
# cat must report an error for the damaged file (and the kernel must neither panic, hang, nor
# kill cat); the kernel is expected to check the whole cluster chain before copying a byte.
run: cat hello.txt
prepare: tests/corrupt.sh fat-loop hello.txt "$IMG"
expect: cat: hello.txt: disk or file-system error (-10)
reject: kernel: killed
status: 1
