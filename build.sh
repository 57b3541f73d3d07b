#!/usr/bin/env bash
# build.sh -- builds the kernel, the user programs and the floppy image into build/.
#
#   ./build.sh              build everything (installs missing tools on Debian)
#   ./build.sh test [...]   build, then run the test suite     (tests/harness.sh test --help)
#   ./build.sh run [...]    build, then boot one program        (tests/harness.sh run --help)
#   ./build.sh bench        build (without the lock checker), run the benchmark under Bochs
#   ./build.sh clean        remove build/
#
# Every step prints one line. Warnings are errors.
set -euo pipefail
cd "$(dirname "$0")"

B=build
CC=gcc
KERNEL_LOAD=0x10000           # where boot.asm puts KERNEL.BIN; must match boot.asm and entry.asm
KERNEL_MAX=$((0x9f000 - 0x10000))   # the kernel must end below the EBDA
KSYMS_MAX=32768               # room reserved in kernel.c for the embedded symbol table

CFLAGS_COMMON="-m32 -march=i686 -ffreestanding -fno-pic -fno-pie -fno-stack-protector
  -fno-builtin -fno-asynchronous-unwind-tables -fno-omit-frame-pointer -nostdlib
  -O2 -Wall -Wextra -Werror -std=gnu11"
KCFLAGS="$CFLAGS_COMMON -mno-sse -mno-mmx -mno-80387 -fno-strict-aliasing"
# The lock-order checker (kernel.c section 17) is on unless LOCKCHECK=0; benchmarks run without.
[ "${1:-}" = bench ] && LOCKCHECK=0
[ "${LOCKCHECK:-1}" = 0 ] || KCFLAGS="$KCFLAGS -DLOCKCHECK"
UCFLAGS="$CFLAGS_COMMON -Iuser/inc"

step() { printf '  %-8s %s\n' "$1" "$2"; }

# ---- tools -------------------------------------------------------------------------------------
need_tools() {
    local missing=() t pkg
    for t in nasm:nasm gcc:gcc ld:binutils mformat:mtools mcopy:mtools \
             bochs:bochs qemu-system-i386:qemu-system-x86 fsck.fat:dosfstools \
             python3:python3; do
        command -v "${t%%:*}" >/dev/null || missing+=("${t#*:}")
    done
    [ -e /usr/share/bochs/BIOS-bochs-latest ] || missing+=(bochsbios)
    [ -e /usr/share/vgabios/vgabios.bin ] || missing+=(vgabios)
    local plugins=/usr/lib/x86_64-linux-gnu/bochs/plugins
    [ -e $plugins/libbx_x_gui.so ] || missing+=(bochs-x)
    [ -e $plugins/libbx_term_gui.so ] || missing+=(bochs-term)
    echo 'int main(void){return 0;}' | $CC -m32 -x c - -o /dev/null 2>/dev/null \
        || missing+=(gcc-multilib)
    [ ${#missing[@]} = 0 ] && return 0
    pkg=$(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        step install "$pkg"
        apt-get update -qq >/dev/null
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $pkg >/dev/null
    else
        echo "missing tools; run: sudo apt-get install $pkg" >&2
        exit 1
    fi
}

# ---- kernel ------------------------------------------------------------------------------------
kernel_ld_script() {
    cat <<EOF
ENTRY(entry16)
SECTIONS {
    . = $KERNEL_LOAD;
    .text   : { *entry.o(.text) *(.text .text.*) }
    .rodata : { *(.rodata .rodata.*) }
    .data   : { *(.data .data.*) }
    __image_end = .;
    .bss    : { __bss_start = .; *(.bss .bss.* COMMON) . = ALIGN(16); __bss_end = .; }
    /DISCARD/ : { *(.comment) *(.note*) *(.eh_frame*) }
}
EOF
}

# build_kernel NAME EXTRA_CFLAGS: build/NAME.elf and build/NAME.bin with its symbols embedded.
build_kernel() {
    local name=$1 extra=$2 off size
    $CC $KCFLAGS $extra -c kernel.c -o $B/$name.o
    ld -m elf_i386 -z noexecstack --no-warn-rwx-segments -T $B/kernel.ld -o $B/$name.elf \
        $B/entry.o $B/$name.o
    objcopy -O binary $B/$name.elf $B/$name.bin
    # Bochs's symbol file and the kernel's own table: "hexaddress name" lines, sorted by address.
    nm -n $B/$name.elf | awk '$2 ~ /^[tTdDbBrR]$/ { print "0x" $1, $3 }' >$B/$name.sym
    size=$(stat -c %s $B/$name.sym)
    [ "$size" -lt $KSYMS_MAX ] || { echo "symbol table too big ($size)" >&2; exit 1; }
    off=$(( 0x$(nm $B/$name.elf | awk '$3 == "kernel_symbols" { print $1 }') - KERNEL_LOAD ))
    { cat $B/$name.sym; printf '\0'; } |
        dd of=$B/$name.bin bs=1 seek=$off conv=notrunc status=none
    size=$(stat -c %s $B/$name.bin)
    [ "$size" -lt $KERNEL_MAX ] || { echo "kernel too big ($size bytes)" >&2; exit 1; }
}

# check_contents: kernel.c's contents list must name exactly its section banners, in order.
check_contents() {
    local banners contents
    banners=$(sed -n 's|^/\*==== \([0-9]*\. .*\) ====\*/$|\1|p' kernel.c)
    contents=$(sed -n '/^ \*==== Contents ====/,/^ \*$/p' kernel.c |
               sed -n 's|^ \* *\([1-9][0-9]*\. .*\)$|\1|p')
    [ "$banners" = "$contents" ] && return 0
    echo "kernel.c: the contents list does not match the section banners:" >&2
    diff <(echo "$contents") <(echo "$banners") >&2
    exit 1
}

# ---- user programs -----------------------------------------------------------------------------
build_user() {
    local src obj lib=() prog
    rm -rf $B/user/bin                  # programs whose source is gone must not linger
    mkdir -p $B/user/lib $B/user/bin
    for src in user/lib/*.c user/lib/*.asm; do
        [ -e "$src" ] || continue
        obj=$B/user/lib/$(basename "${src%.*}").o
        case $src in
            *.c) $CC $UCFLAGS -c "$src" -o "$obj" ;;
            *.asm) nasm -f elf32 "$src" -o "$obj" ;;
        esac
        case $obj in */crt0.o) cp "$obj" $B/user/crt0.o ;; *) lib+=("$obj") ;; esac
    done
    rm -f $B/user/libpebbles.a
    ar rcs $B/user/libpebbles.a "${lib[@]}"
    for src in user/progs/*.c user/tests/*.c; do
        [ -e "$src" ] || continue
        prog=$(basename "${src%.c}")
        $CC $UCFLAGS -c "$src" -o $B/user/$prog.o
        ld -m elf_i386 -static -n -T user/user.ld -e _main -o $B/user/bin/$prog \
            $B/user/crt0.o $B/user/$prog.o $B/user/libpebbles.a
        strip $B/user/bin/$prog
    done
}

# ---- floppy image ------------------------------------------------------------------------------
# build_image IMG KERNEL: a FAT12 floppy with our boot sector, KERNEL as KERNEL.BIN, every program,
# everything under disk/, and `checksums` ("name crc size" per file) for the floppy self-test
# (not of bootargs: the test harness replaces it).
build_image() {
    local img=$1 kernel=$2 f sums=$B/checksums
    rm -f "$img"
    dd if=/dev/zero of="$img" bs=512 count=2880 status=none
    mformat -i "$img" -f 1440 -v PEBBLES -B $B/boot.bin ::
    mcopy -i "$img" "$kernel" ::KERNEL.BIN     # first, so it is one contiguous run
    mcopy -i "$img" $B/user/bin/* ::
    (cd disk && find . -mindepth 1 -type d | sed 's|^\./||' | sort) | while read -r f; do
        mmd -i "$img" "::$f"
    done
    (cd disk && find . -type f | sed 's|^\./||' | sort) | while read -r f; do
        mcopy -i "$img" "disk/$f" "::$f"
    done
    { echo "KERNEL.BIN $(cksum <"$kernel")"
      for f in $B/user/bin/*; do echo "$(basename "$f") $(cksum <"$f")"; done
      (cd disk && find . -type f ! -name bootargs | sed 's|^\./||' | sort) |
          while read -r f; do echo "$f $(cksum <"disk/$f")"; done
    } >$sums
    mcopy -i "$img" $sums ::checksums
    fsck.fat -n "$img" >/dev/null || { echo "fsck.fat rejects $img" >&2; exit 1; }
}

build_all() {
    local t0=$SECONDS free size
    need_tools
    mkdir -p $B
    step nasm boot.asm
    nasm -f bin boot.asm -o $B/boot.bin
    step nasm entry.asm
    nasm -f elf32 entry.asm -o $B/entry.o
    kernel_ld_script >$B/kernel.ld
    step cc kernel.c
    check_contents
    build_kernel kernel ""
    build_kernel kernel-selftest "-DSELFTEST"
    step user "$(ls user/progs/*.c user/tests/*.c 2>/dev/null | wc -l) programs, libpebbles.a"
    build_user
    step image "$B/floppy.img, $B/floppy-selftest.img"
    build_image $B/floppy.img $B/kernel.bin
    build_image $B/floppy-selftest.img $B/kernel-selftest.bin
    free=$(mdir -i $B/floppy.img :: | grep 'bytes free' | tr -dc 0-9)
    size=$(stat -c %s $B/kernel.bin)
    step done "kernel $size bytes, image free $free bytes, $((SECONDS - t0)) s"
}

case "${1:-}" in
    clean) rm -rf $B ;;
    test) shift; build_all; exec tests/harness.sh test "$@" ;;
    run) shift; build_all >/dev/null; exec tests/harness.sh run "$@" ;;
    bench) shift; build_all >/dev/null; exec tests/harness.sh run --timeout 300 -- bench "$@" ;;
    "") build_all ;;
    *) echo "usage: $0 [test|run|bench|clean] [args]" >&2; exit 2 ;;
esac
