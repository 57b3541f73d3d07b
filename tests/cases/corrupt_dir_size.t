# hello.txt's directory entry claims one byte more than its cluster chain holds.
# cat must report an error for the damaged file (and the kernel must neither panic, hang, nor
# kill cat); the kernel is expected to check the whole cluster chain before copying a byte.
run: cat hello.txt
prepare: tests/corrupt.sh dir-size hello.txt "$IMG"
expect: cat: hello.txt: disk or file-system error (-10)
reject: kernel: killed
status: 1
