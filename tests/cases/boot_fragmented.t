# boot.asm follows KERNEL.BIN's cluster chain: a kernel copied with mcopy into the holes other
# files left behind (so it lies in two pieces, which prepare checks) still boots.
run: hello
prepare: mdel -i "$IMG" ::KERNEL.BIN ::args_test
prepare: head -c 20000 /dev/zero > "$IMG.fill" && mcopy -i "$IMG" "$IMG.fill" ::filler
prepare: mcopy -i "$IMG" build/kernel.bin ::KERNEL.BIN
prepare: mshowfat -i "$IMG" ::KERNEL.BIN | grep -q '> <'
expect: Hello from user space!
