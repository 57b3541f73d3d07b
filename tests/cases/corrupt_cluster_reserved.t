# hello.txt's FAT entry holds 0xFF0, a reserved value (neither a cluster nor end of chain).
# cat must report an error for the damaged file (and the kernel must neither panic, hang, nor
# kill cat); the kernel is expected to check the whole cluster chain before copying a byte.
run: cat hello.txt
prepare: tests/corrupt.sh cluster-range hello.txt "$IMG" 0xFF0
expect: cat: hello.txt: disk or file-system error (-10)
reject: kernel: killed
status: 1
