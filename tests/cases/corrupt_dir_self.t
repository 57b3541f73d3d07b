# Every entry of the guests folder names the folder itself (a corrupt disk): a walk of all
# folders would visit k^8 of them (k = 26: 2*10^11). ls (the "." listing) must end at once with
# an error, not hang for hours.
run: ls
prepare: tests/corrupt.sh dir-self guests "$IMG"
expect-re: ls: .*disk or file-system error \(-10\)
reject: kernel: killed
reject: KERNEL PANIC
status: 1
timeout: 30
