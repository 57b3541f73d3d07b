# hello.txt's directory entry names cluster 1, which does not exist (data starts at 2).
# cat must report an error for the damaged file (and the kernel must neither panic, hang, nor
# kill cat); the kernel is expected to check the whole cluster chain before copying a byte.
run: cat hello.txt
prepare: tests/corrupt.sh dir-cluster hello.txt "$IMG" 1
expect: cat: hello.txt: disk or file-system error (-10)
reject: kernel: killed
status: 1
# The damaged chain reaches the files a guest boots from, so this is a test of the bare machine.
guest: no
