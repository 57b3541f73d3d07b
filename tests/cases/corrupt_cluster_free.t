# hello.txt's FAT entry is 0 (free): the chain runs into a free cluster.
# cat must report an error for the damaged file (and the kernel must neither panic, hang, nor
# kill cat); the kernel is expected to check the whole cluster chain before copying a byte.
run: cat hello.txt
prepare: tests/corrupt.sh cluster-range hello.txt "$IMG" 0
expect: cat: hello.txt: disk or file-system error (-10)
reject: kernel: killed
status: 1
