#!/usr/bin/env bash
# build.sh -- builds Pebbles into build/ and boots it. `./build.sh help` lists the commands.
#
# The build is incremental: an output is made again only when something it depends on changed
# (its source, the headers gcc -MMD listed for it, the flags below, the linker scripts), and
# compiles run side by side, one per core. A floppy image gets only the files that changed
# (mcopy -o) and a checksums list updated to match; it is made anew when the boot sector or the
# kernel changed (boot.asm loads KERNEL.BIN only as one contiguous run, which only the first
# file on a fresh image is sure to be) or when a file went away. Each step done prints one
# line; the last line sums up.
set -euo pipefail
cd "$(dirname "$0")"
export MTOOLS_SKIP_CHECK=1                # mtools quiet about the floppy's geometry
USER_LC_ALL=${LC_ALL-unset}               # for QEMU's curses display, which draws CP437
LC_ALL=C                                  # plain byte order for the file lists

B=build
CC=gcc
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}
KERNEL_LOAD=0x10000           # where boot.asm puts KERNEL.BIN; must match boot.asm and entry.asm
KERNEL_MAX=$((0x9f000 - 0x10000))   # the kernel must end below the EBDA
GDB_PORT=${GDB_PORT:-1234}    # where `./build.sh gdb` has QEMU wait for gdb

CFLAGS_COMMON="-m32 -march=i686 -ffreestanding -fno-pic -fno-pie -fno-stack-protector
  -fno-builtin -fno-asynchronous-unwind-tables -fno-omit-frame-pointer -nostdlib
  -O2 -Wall -Wextra -Werror -std=gnu11"
# -g: debugging information for gdb in build/kernel.elf (the binary does not change).
KCFLAGS="$CFLAGS_COMMON -g -mno-sse -mno-mmx -mno-80387 -fno-strict-aliasing"
# The lock-order checker (kernel.c section 17) is on unless LOCKCHECK=0; benchmarks run without.
[ "${1:-}" = bench ] && LOCKCHECK=0
[ "${LOCKCHECK:-1}" = 0 ] || KCFLAGS="$KCFLAGS -DLOCKCHECK"
KSELFTEST=-DSELFTEST          # added to KCFLAGS for build/kernel-selftest.bin
KGUEST=-DPLATFORM_GUEST=1     # added to KCFLAGS for build/pebbles-guest (kernel.c section 6)
# Programs see user/inc alone (it has every header a Pebbles program expects), and link with
# libgcc for what the compiler calls behind their back (64-bit division and remainder).
# Each function and variable in a section of its own, and the link drops those nothing uses:
# a program carries only the library functions it calls (the floppy is 1.44 MB).
UCFLAGS="$CFLAGS_COMMON -nostdinc -Iuser/inc -ffunction-sections -fdata-sections"
LIBGCC=$($CC -m32 -print-libgcc-file-name 2>/dev/null || true)
KLDFLAGS="-m elf_i386 -z noexecstack --no-warn-rwx-segments -T $B/kernel.ld"
# The kernel as a guest is an ELF file the hypervisor loads: -n keeps the ELF headers out of its
# segments, which then start exactly at the load address.
KGLDFLAGS="-m elf_i386 -n -z noexecstack --no-warn-rwx-segments -T $B/kernel-guest.ld"
ULDFLAGS="-m elf_i386 -static -n -T user/user.ld -e _main --gc-sections"
# Test guests (user/guests, doc/syscalls.md 16) are small kernels: their own headers and
# library, no user/inc, linked at 1 MiB; what a guest does not use of the library is left out
# (a crash guest is then under 4 KiB).
GCFLAGS="$CFLAGS_COMMON -nostdinc -Iuser/guests -ffunction-sections -fdata-sections"
GLDFLAGS="-m elf_i386 -static -n -z noexecstack --no-warn-rwx-segments --gc-sections
  -T user/guests/guest.ld"

# The fragment bochsrc includes: the display to use, chosen from the environment of the last
# build. Named so that Bochs's complaint when it is missing tells what to do.
BOCHS_DISPLAY_RC="$B/bochsrc.display (made by build.sh; run it first)"

#==== Output ====

STEPS=0                       # steps done by this build
OUT=1                         # where step lines go (2 for commands that show a console)

# step TAG TEXT: announce one piece of work about to be done.
step() {
    printf '  %-8s %s\n' "$1" "$2" >&"$OUT"
    STEPS=$((STEPS + 1))
}

# die MESSAGE: stop the build with MESSAGE.
die() {
    echo "build.sh: $*" >&2
    exit 1
}

# since START: seconds from START (an $EPOCHREALTIME) to now, with two decimals.
since() {
    local now=${EPOCHREALTIME/[.,]/} then=${1/[.,]/} cs
    cs=$(( (now - then) / 10000 ))
    printf '%d.%02d' $((cs / 100)) $((cs % 100))
}

#==== Usage ====

# usage_all: every command, one line each.
usage_all() {
    cat <<'EOF'
usage: ./build.sh [COMMAND] [ARGS...]     (COMMAND --help tells more)
  build              build what changed (the default): kernels, programs, floppy images
  run PROG [ARGS]    build, boot PROG headless, print its console, exit with its status
  test [NAME...]     build, then check the build and run the test cases
  bench [ARGS]       build without the lock checker, run the benchmark program in Bochs
  fuzz [N] [SEED]    build, make N random system calls with hostile arguments (Bochs)
  qemu [OPTION...]   build, boot the floppy in QEMU: a window, or the terminal (curses)
  gdb [OPTION...]    build, start QEMU stopped for gdb and print the gdb command to type
  new NAME           start user/progs/NAME.c from a template; it is built and put on the disk
  screen [PTY]       show here the screen of a Bochs with the term display, and type into it
  clean              remove build/
  help               this list
In this folder, plain `bochs` boots build/floppy.img in Bochs's debugger (see bochsrc).
EOF
}

# usage COMMAND: the help of one command.
usage() {
    case $1 in
        build) cat <<'EOF'
usage: ./build.sh [build]
Builds what changed into build/: boot sector, kernel and self-test kernel, user library,
every program in user/progs and user/tests, every guest in user/guests, build/floppy.img
and build/floppy-selftest.img.
One line per step done, then a summary. JOBS=N sets the parallel compiles (default: cores);
LOCKCHECK=0 builds the kernels without the lock-order checker.
EOF
        ;;
        run) cat <<'EOF'
usage: ./build.sh run [--bochs|--qemu] [--add FILE]... [--timeout S] [--selftest] [--guest]
                      [--] PROG [ARGS...]
Builds, then boots a scratch copy of build/floppy.img headless (Bochs unless --qemu) with
`PROG ARGS` as the program init runs, prints the console, and exits with PROG's status & 255
(250 kernel panic, 251 time-out after S seconds (default 60), 252 reboot, 253 no halt line).
  --add FILE   copy FILE onto the scratch image first (e.g. a program built elsewhere)
  --selftest   boot the self-test kernel
  --guest      run PROG inside pebbles-guest (this kernel as a guest of itself)
EOF
        ;;
        test) cat <<'EOF'
usage: ./build.sh test [--bochs] [--qemu] [--both] [--guest] [--jobs N] [--misbehave N]
                      [NAME-GLOB...]
Builds, then runs the test cases (tests/cases/NAME.t), each in a fresh emulator, and prints
`NAME PASS|FAIL seconds` lines and `N passed, M failed`. Without an emulator option and
without --misbehave: the whole suite (Bochs, QEMU, 1 ms ticks in Bochs, every misbehave mode
in QEMU), which also starts with build/incremental: tests/build_check.sh checks in a copy of
the repository that a second build does nothing and that `run` starts at once, and also runs
a part of the suite inside pebbles-guest. --guest runs the cases inside pebbles-guest (this
kernel as a guest of itself), skipping those marked `guest: no`.
EOF
        ;;
        bench) cat <<'EOF'
usage: ./build.sh bench [--guest] [ARGS...]
Builds the kernels without the lock-order checker and runs `bench ARGS` in Bochs (600 s
limit). The next plain build puts the checker back (and so rebuilds the kernels).
  --guest   run it inside pebbles-guest, this kernel as a guest of itself
EOF
        ;;
        qemu) cat <<'EOF'
usage: ./build.sh qemu [QEMU-OPTION...]
Builds, then boots build/floppy.img (untouched: writes go to a throw-away overlay) in QEMU
with 64 MiB. With $DISPLAY set: a window, and the console copy (port 0xE9) in this terminal.
Without: the screen in this terminal (-display curses; Alt+2 then `quit` leaves QEMU) and the
console copy in build/qemu-e9.log. QEMU exits when the kernel halts. Extra options go to QEMU.
EOF
        ;;
        gdb) cat <<'EOF'
usage: ./build.sh gdb [QEMU-OPTION...]
Like `./build.sh qemu`, but QEMU waits, stopped before the BIOS, for gdb on localhost port
$GDB_PORT (1234 by default); the gdb command line to type in another terminal is printed.
In a terminal without $DISPLAY, the terminal is COM1 instead of the screen, so that the line
stays in view: the console's text appears and keys go in (Ctrl-A x quits QEMU).
EOF
        ;;
        new) cat <<'EOF'
usage: ./build.sh new NAME
Writes user/progs/NAME.c, a small commented program to start from. Every .c file in
user/progs is built and copied onto the floppy by ./build.sh, so next: ./build.sh run NAME
NAME: a lower-case letter, then up to 30 lower-case letters, digits or _; not taken.
EOF
        ;;
        screen) cat <<'EOF'
usage: ./build.sh screen [/dev/pts/N]
Without $DISPLAY, bochsrc gives Bochs the term display: curses on a pseudo-terminal that Bochs
names as it starts ("Bochs connected to screen /dev/pts/N"), while its debugger keeps the
terminal it was started in. In a second terminal this shows that screen and types into it
(Enter, arrows, Ctrl+letters; Alt+F1..F8 switch consoles where the terminal sends them).
Ctrl-] leaves; Bochs runs on. Without PTY: the screen of the one Bochs running. Bochs draws
24 rows unless started as `LINES=25 bochs`.
EOF
        ;;
        fuzz) cat <<'EOF'
usage: ./build.sh fuzz [--qemu|--bochs] [--timeout S] [N [SEED [-CALL...]]]
Builds, then runs the fuzzer (user/tests/fuzz.c) headless, in Bochs unless --qemu: N random
system calls (default 100000) from many tasks and threads, with hostile arguments, memory
mapped and unmapped under the calls and every misbehave mode in turn. It must end with
"fuzz: N calls, K tasks killed, kernel alive", no KERNEL PANIC and no "init: frames leaked".
The console goes to build/fuzz.log too; the last line says passed or FAILED, and the time.
Exit status: 0 passed, else run's (250 panic, 251 time-out...) or 1 (a leak). SEED (default:
drawn here, and printed) repeats a run exactly in the same emulator and build. -CALL leaves
a call out (-new_console), to look past a bug already found. Time limit: S seconds, by
default 120 + N / 2000.
EOF
        ;;
        clean) cat <<'EOF'
usage: ./build.sh clean
Removes build/: every output, test log and scratch folder. The next build starts afresh.
EOF
        ;;
        *) usage_all ;;
    esac
}

#==== Tools ====

# need_tools: install (as root) or name the Debian packages that are missing. The full check
# runs once per build folder; after that the tools are taken to be there (it costs a compile).
need_tools() {
    local missing=() t pkg plugins=/usr/lib/x86_64-linux-gnu/bochs/plugins
    [ -e $B/.tools-ok ] && return 0
    for t in nasm:nasm gcc:gcc ld:binutils mformat:mtools mcopy:mtools \
             bochs:bochs qemu-system-i386:qemu-system-x86 fsck.fat:dosfstools \
             python3:python3 flock:util-linux; do
        command -v "${t%%:*}" >/dev/null || missing+=("${t#*:}")
    done
    [ -e /usr/share/bochs/BIOS-bochs-latest ] || missing+=(bochsbios)
    [ -e /usr/share/vgabios/vgabios.bin ] || missing+=(vgabios)
    [ -e $plugins/libbx_x_gui.so ] || missing+=(bochs-x)
    [ -e $plugins/libbx_term_gui.so ] || missing+=(bochs-term)
    echo 'int main(void){return 0;}' | $CC -m32 -x c - -o /dev/null 2>/dev/null \
        || missing+=(gcc-multilib)
    if [ ${#missing[@]} -gt 0 ]; then
        pkg=$(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')
        if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
            step install "$pkg"
            apt-get update -qq >/dev/null
            # shellcheck disable=SC2086  # one word per package
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $pkg >/dev/null
        else
            die "missing tools; run: sudo apt-get install $pkg"
        fi
    fi
    touch $B/.tools-ok
}

#==== What is out of date ====

# older TARGET DEP...: whether TARGET is missing or older than a DEP (a missing DEP counts as
# newer: whatever needed it must be looked at again).
older() {
    local target=$1 dep
    shift
    [ -e "$target" ] || return 0
    for dep in "$@"; do
        [ -e "$dep" ] && [ ! "$dep" -nt "$target" ] || return 0
    done
    return 1
}

# compile_needed OUT STAMP: whether OUT must be compiled again: missing, older than its flags
# STAMP, or older than a file its .d lists (the source and each file it included).
compile_needed() {
    local obj=$1 dfile=${1%.*}.d words=() deps=() w
    [ -e "$dfile" ] || return 0
    read -r -d '' -a words <"$dfile" || true
    # "OUT:" (nasm: "OUT :") then the prerequisites, with "\" where gcc broke the line
    for w in "${words[@]:1}"; do
        case $w in :|\\|*:) ;; *) deps+=("$w") ;; esac
    done
    older "$obj" "$2" "${deps[@]}"
}

# write_if_changed FILE TEXT: write TEXT (and a newline) into FILE, but leave FILE and its time
# alone when it holds that already, so that what depends on it is not rebuilt. Returns 0 if
# FILE changed. (No command substitution: forks cost, and a no-change build is all checks.)
write_if_changed() {
    local old=''
    [ -e "$1" ] && IFS= read -r -d '' old <"$1"
    [ "$old" = "$2"$'\n' ] && return 1
    printf '%s\n' "$2" >"$1"
}

# write_stamps: the flags and linker script of each kind of output, as files whose time says
# when they last changed. Outputs depend on them, so a change of flags here rebuilds them.
write_stamps() {
    mkdir -p $B/stamps
    write_if_changed $B/stamps/kernel "$CC $KCFLAGS | ld $KLDFLAGS" || true
    write_if_changed $B/stamps/kernel-selftest "$CC $KCFLAGS $KSELFTEST | ld $KLDFLAGS" || true
    write_if_changed $B/stamps/kernel-guest "$CC $KCFLAGS $KGUEST | ld $KGLDFLAGS" || true
    write_if_changed $B/stamps/user "$CC $UCFLAGS | ld $ULDFLAGS $LIBGCC" || true
    write_if_changed $B/stamps/guest "$CC $GCFLAGS | ld $GLDFLAGS $LIBGCC" || true
    write_if_changed $B/stamps/nasm "nasm -f bin|elf32 -MD" || true
    write_if_changed $B/kernel.ld "$KERNEL_LD" || true
    write_if_changed $B/kernel-guest.ld "${KERNEL_LD/ENTRY(entry16)/ENTRY(guest_entry)}" || true
}

#==== Parallel jobs ====

RUNNING=0                     # jobs started and not yet waited for
FAILED=0                      # 1 once a job failed

# spawn CMD...: run CMD in the background once a core is free (nothing more after a failure).
spawn() {
    [ "$FAILED" = 0 ] || return 0
    [ "$RUNNING" -lt "$JOBS" ] || reap_one
    "$@" &
    RUNNING=$((RUNNING + 1))
}

# reap_one: wait for any one job to end, noting a failure.
reap_one() {
    wait -n || FAILED=1
    RUNNING=$((RUNNING - 1))
}

# join: wait for every job; stop here if one failed (its messages are above).
join() {
    while [ "$RUNNING" -gt 0 ]; do
        reap_one
    done
    [ "$FAILED" = 0 ] || die "build failed"
}

#==== Boot sector and kernels ====

# The kernel's linker script (build/kernel.ld): entry.asm's code first, at the load address.
IFS= read -r -d '' KERNEL_LD <<EOF || true
ENTRY(entry16)
SECTIONS {
    . = $KERNEL_LOAD;
    .text   : { *entry.o(.text) *(.text .text.*) }
    .rodata : { *(.rodata .rodata.*) }
    .data   : { *(.data .data.*) kernel_symbols = .; . += KSYMS_BYTES; }
    __image_end = .;
    .bss    : { . = ALIGN(16); __bss_start = .; *(.bss .bss.* COMMON)
                . = ALIGN(16); __bss_end = .; }
    /DISCARD/ : { *(.comment) *(.note*) *(.eh_frame*) }
}
EOF

# assemble SRC OUT FORMAT: nasm, writing a .d file of what SRC included.
assemble() {
    nasm -f "$3" ${4:-} -MD "${2%.*}.d" "$1" -o "$2"
}

# build_assembly: boot.bin and entry.o when their sources changed.
build_assembly() {
    if compile_needed $B/boot.bin $B/stamps/nasm; then
        step nasm boot.asm
        spawn assemble boot.asm $B/boot.bin bin
    fi
    if compile_needed $B/entry.o $B/stamps/nasm; then
        step nasm entry.asm
        spawn assemble entry.asm $B/entry.o elf32
    fi
    if compile_needed $B/entry-guest.o $B/stamps/nasm; then
        step nasm "entry.asm -DGUEST"
        spawn assemble entry.asm $B/entry-guest.o elf32 -DGUEST
    fi
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

# link_with_symbols LDFLAGS ELF SYM OBJ...: link OBJ... into ELF with exactly the room its own
# symbol table needs at kernel_symbols (the end of .data: build/kernel.ld), and write that
# table, "0xaddress name" lines sorted by address, to SYM (also Bochs's symbol file). Two
# links: the first finds the table's size; the second, with that room, moves only .bss, whose
# addresses nm prints at the same width, so the table keeps its size.
link_with_symbols() {
    local flags=$1 elf=$2 sym=$3 bytes
    shift 3
    # shellcheck disable=SC2086  # FLAGS holds several words
    ld $flags --defsym KSYMS_BYTES=0 -o "$elf" "$@"
    nm -n "$elf" | awk '$2 ~ /^[tTdDbBrR]$/ { print "0x" $1, $3 }' >"$sym"
    bytes=$(( ($(stat -c %s "$sym") + 1 + 15) / 16 * 16 ))     # with its NUL, in 16s
    # shellcheck disable=SC2086
    ld $flags --defsym KSYMS_BYTES=$bytes -o "$elf" "$@"
    nm -n "$elf" | awk '$2 ~ /^[tTdDbBrR]$/ { print "0x" $1, $3 }' >"$sym"
    [ $(($(stat -c %s "$sym") + 1)) -le "$bytes" ] || die "$elf: the symbol table grew"
}

# put_symbols FILE OFFSET SYM: the symbol table SYM, NUL-terminated, into FILE at OFFSET.
put_symbols() {
    { cat "$3"; printf '\0'; } | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

# link_kernel NAME: build/NAME.elf, .sym and .bin from NAME.o and entry.o, the symbols
# embedded in the binary. Made under temporary names and renamed at the end, so that a
# failure leaves nothing that looks finished.
link_kernel() {
    local n=$B/$1 size
    link_with_symbols "$KLDFLAGS" "$n.elf.tmp" "$n.sym.tmp" $B/entry.o "$n.o"
    objcopy -O binary "$n.elf.tmp" "$n.bin.tmp"
    put_symbols "$n.bin.tmp" \
        $(( 0x$(nm "$n.elf.tmp" | awk '$3 == "kernel_symbols" { print $1 }') - KERNEL_LOAD )) \
        "$n.sym.tmp"
    size=$(stat -c %s "$n.bin.tmp")
    [ "$size" -lt $KERNEL_MAX ] || die "$1: kernel too big ($size bytes)"
    python3 tools/kpack.py "$n.bin.tmp" "$n.bin.tmp" \
        $(( 0x$(nm "$n.elf.tmp" | awk '$3 == "packed_start" { print $1 }') - KERNEL_LOAD ))
    mv "$n.elf.tmp" "$n.elf"
    mv "$n.sym.tmp" "$n.sym"
    mv "$n.bin.tmp" "$n.bin"
}

# link_guest_kernel: build/pebbles-guest from kernel-guest.o and entry-guest.o: the kernel as
# a PebPeb guest, an ELF file without its debugging information, with its symbol table
# embedded as kernel.bin has it (found by the file offset of kernel_symbols).
link_guest_kernel() {
    local n=$B/pebbles-guest k=$B/kernel-guest addr data
    link_with_symbols "$KGLDFLAGS" "$k.elf.tmp" "$k.sym.tmp" $B/entry-guest.o $k.o
    objcopy --strip-all "$k.elf.tmp" "$n.tmp"
    addr=$(nm "$k.elf.tmp" | awk '$3 == "kernel_symbols" { print $1 }')
    data=$(objdump -h "$n.tmp" | awk '$2 == ".data" { print $4, $6 }')
    put_symbols "$n.tmp" $(( 0x$addr - 0x${data% *} + 0x${data#* } )) "$k.sym.tmp"
    mv "$k.elf.tmp" "$k.elf"
    mv "$k.sym.tmp" "$k.sym"
    mv "$n.tmp" "$n"
}

# make_kernel NAME FLAGS COMPILE: compile kernel.c (when COMPILE is yes) and link.
make_kernel() {
    if [ "$3" = yes ]; then
        # shellcheck disable=SC2086  # FLAGS holds several words
        $CC $2 -MMD -c kernel.c -o $B/$1.o
    fi
    if [ "$1" = kernel-guest ]; then
        link_guest_kernel
    else
        link_kernel "$1"
    fi
}

# build_kernels: kernel.bin, kernel-selftest.bin and pebbles-guest, each compiled and linked as
# needed.
build_kernels() {
    local name flags out entry ld checked=no
    for name in kernel kernel-selftest kernel-guest; do
        flags=$KCFLAGS out=$B/$name.bin entry=$B/entry.o ld=$B/kernel.ld
        [ $name = kernel-selftest ] && flags="$KCFLAGS $KSELFTEST"
        [ $name = kernel-guest ] && flags="$KCFLAGS $KGUEST" out=$B/pebbles-guest \
            entry=$B/entry-guest.o ld=$B/kernel-guest.ld
        if compile_needed $B/$name.o $B/stamps/$name; then
            [ $checked = yes ] || check_contents
            checked=yes
            step cc "kernel.c -> $out"
            spawn make_kernel $name "$flags" yes
        elif older $out $B/$name.o $entry $ld $B/stamps/$name tools/kpack.py; then
            step ld "$out"
            spawn make_kernel $name "$flags" no
        fi
    done
}

#==== User library and programs ====

# compile_user SRC OBJ: one C file of user space.
compile_user() {
    # shellcheck disable=SC2086  # UCFLAGS holds several words
    $CC $UCFLAGS -MMD -c "$1" -o "$2"
}

# build_library: the objects of user/lib when changed; crt0.o apart, the rest in libpebbles.a.
build_library() {
    build_archive user/lib $B/user/lib crt0 $B/user/libpebbles.a user compile_user
    if older $B/user/crt0.o $B/user/lib/crt0.o; then
        cp $B/user/lib/crt0.o $B/user/crt0.o
    fi
}

# build_archive SRCDIR OBJDIR START ARCHIVE STAMP COMPILE: the objects of SRCDIR's .c and .asm
# files into OBJDIR when changed (C with the command COMPILE SRC OBJ, flags stamp STAMP), then
# every object but START.o into ARCHIVE. Waits for the jobs so far.
build_archive() {
    local dir=$1 objdir=$2 start=$3 archive=$4 stamp=$B/stamps/$5 compile=$6 src obj
    local members=() list
    for src in "$dir"/*.c "$dir"/*.asm; do
        [ -e "$src" ] || continue
        obj=${src##*/}
        obj=$objdir/${obj%.*}.o
        [ "$obj" = "$objdir/$start.o" ] || members+=("$obj")
        case $src in
            *.c) compile_needed "$obj" "$stamp" || continue
                 step cc "$src"
                 spawn "$compile" "$src" "$obj" ;;
            *.asm) compile_needed "$obj" $B/stamps/nasm || continue
                 step nasm "$src"
                 spawn assemble "$src" "$obj" elf32 ;;
        esac
    done
    join
    # A member dropped from SRCDIR changes this list, and so remakes the archive.
    printf -v list '%s\n' "${members[@]}"
    write_if_changed "$objdir/members" "$list" || true
    if older "$archive" "$objdir/members" "${members[@]}"; then
        step ar "$archive"
        rm -f "$archive"
        ar rcs "$archive" "${members[@]}"
    fi
}

# make_program SRC COMPILE: compile (when COMPILE is yes), link and strip one program into
# build/user/bin. build/user/PROG.o stays for tests/nocrt.sh.
make_program() {
    local prog=${1##*/}
    prog=${prog%.c}
    [ "$2" = no ] || compile_user "$1" $B/user/$prog.o
    # shellcheck disable=SC2086  # ULDFLAGS holds several words
    ld $ULDFLAGS -o $B/user/bin/$prog.tmp $B/user/crt0.o $B/user/$prog.o $B/user/libpebbles.a \
        "$LIBGCC"
    strip $B/user/bin/$prog.tmp
    mv $B/user/bin/$prog.tmp $B/user/bin/$prog
}

# build_programs: every user/progs/*.c and user/tests/*.c whose program is out of date.
build_programs() {
    local src prog
    for src in user/progs/*.c user/tests/*.c; do
        [ -e "$src" ] || continue
        prog=${src##*/}
        prog=${prog%.c}
        if compile_needed $B/user/$prog.o $B/stamps/user; then
            step cc "$src"
            spawn make_program "$src" yes
        elif older $B/user/bin/$prog $B/user/$prog.o $B/user/crt0.o $B/user/libpebbles.a \
                user/user.ld $B/stamps/user; then
            step ld "$prog"
            spawn make_program "$src" no
        fi
    done
}

# drop_removed_programs: a program whose source is gone leaves build/user/bin (and so the
# disk, which is then made anew). Runs when no job is linking (they write NAME.tmp there).
drop_removed_programs() {
    local bin prog
    for bin in $B/user/bin/*; do
        [ -e "$bin" ] || continue
        prog=${bin##*/}
        case $prog in *.tmp) rm -f "$bin"; continue ;; esac     # left by an interrupted build
        if [ -e "user/progs/$prog.c" ] || [ -e "user/tests/$prog.c" ]; then continue; fi
        step remove "$prog (its source is gone)"
        rm -f "$bin" $B/user/"$prog".[od]
    done
}

#==== Test guests ====
# Every user/guests/NAME.c is a small kernel for the hypervisor (doc/syscalls.md 16): compiled into
# build/guests, linked at 1 MiB with the guest library (user/guests/lib: start.o, then
# libguest.a) into build/guests/bin/NAME, and put on the disk as guests/NAME (`exec
# guests/NAME` runs it). A folder of their own because the floppy's root folder has room for
# 224 entries only, and a long name takes two or three of them.

# compile_guest SRC OBJ: one C file of a guest or of the guest library.
compile_guest() {
    # shellcheck disable=SC2086  # GCFLAGS holds several words
    $CC $GCFLAGS -MMD -c "$1" -o "$2"
}

# build_guest_library: the objects of user/guests/lib when changed; start.o apart, the rest
# in libguest.a.
build_guest_library() {
    build_archive user/guests/lib $B/guests/lib start $B/guests/libguest.a guest compile_guest
}

# make_guest SRC COMPILE: compile (when COMPILE is yes), link and strip one guest.
make_guest() {
    local guest=${1##*/}
    guest=${guest%.c}
    [ "$2" = no ] || compile_guest "$1" $B/guests/$guest.o
    # shellcheck disable=SC2086  # GLDFLAGS holds several words
    ld $GLDFLAGS -o $B/guests/bin/$guest.tmp $B/guests/lib/start.o $B/guests/$guest.o \
        $B/guests/libguest.a "$LIBGCC"
    strip $B/guests/bin/$guest.tmp
    mv $B/guests/bin/$guest.tmp $B/guests/bin/$guest
}

# build_guests: every user/guests/*.c whose guest is out of date.
build_guests() {
    local src guest
    for src in user/guests/*.c; do
        [ -e "$src" ] || continue
        guest=${src##*/}
        guest=${guest%.c}
        if compile_needed $B/guests/$guest.o $B/stamps/guest; then
            step cc "$src"
            spawn make_guest "$src" yes
        elif older $B/guests/bin/$guest $B/guests/$guest.o $B/guests/lib/start.o \
                $B/guests/libguest.a user/guests/guest.ld $B/stamps/guest; then
            step ld "$guest"
            spawn make_guest "$src" no
        fi
    done
}

# drop_removed_guests: a guest whose source is gone leaves build/guests/bin (and the disk).
# Runs when no job is linking.
drop_removed_guests() {
    local bin guest
    for bin in $B/guests/bin/*; do
        [ -e "$bin" ] || continue
        guest=${bin##*/}
        case $guest in *.tmp) rm -f "$bin"; continue ;; esac
        [ ! -e "user/guests/$guest.c" ] || continue
        step remove "guests/$guest (its source is gone)"
        rm -f "$bin" $B/guests/"$guest".[od]
    done
}

# guest_contents: add the guests to the disk's contents (after disk_contents): this kernel as
# a guest (pebbles-guest), the folder guests and a file guests/NAME for each.
guest_contents() {
    local f added=no
    NAMES+=(pebbles-guest)
    SRCS+=($B/pebbles-guest)
    for f in $B/guests/bin/*; do
        [ -e "$f" ] || continue
        [ $added = yes ] || DIRS+=(guests)
        added=yes
        NAMES+=("guests/${f##*/}")
        SRCS+=("$f")
    done
}

#==== Floppy images ====
# Each image has a state folder, build/image/NAME/: `files` lists what build.sh put on it
# ("dir NAME" and "file NAME" lines) and its time is when it last did; `checksums` is the list
# on the image. A file newer than `files` goes on the image again.

# disk_contents: set DIRS (folders under disk/), NAMES (every file for the image but KERNEL.BIN
# and checksums, as named there: the programs, then disk/'s files), SRCS (where each comes
# from) and NPROGS (how many programs).
disk_contents() {
    local f
    DIRS=() NAMES=() SRCS=()
    for f in $B/user/bin/*; do
        [ -e "$f" ] || continue
        NAMES+=("${f##*/}")
        SRCS+=("$f")
    done
    NPROGS=${#NAMES[@]}
    shopt -s globstar dotglob
    for f in disk/**; do
        if [ -d "$f" ]; then
            [ "$f" = disk/ ] || DIRS+=("${f#disk/}")
        elif [ -f "$f" ]; then
            NAMES+=("${f#disk/}")
            SRCS+=("$f")
        fi
    done
    shopt -u globstar dotglob
}

# image_listing: the `files` state for DIRS and NAMES.
image_listing() {
    local d f
    for d in "${DIRS[@]}"; do echo "dir $d"; done
    for f in "${NAMES[@]}"; do echo "file $f"; done
}

# plan_image IMG KERNEL: set PLAN to fresh (with WHY), update (CHANGED holds indices into
# NAMES/SRCS of the files to copy) or none.
plan_image() {
    local img=$1 kernel=$2 state=${1##*/} i
    state=$B/image/${state%.img}
    PLAN=fresh WHY='' CHANGED=()
    if [ ! -e "$img" ] || [ ! -e "$state/files" ] || [ ! -e "$state/checksums" ]; then
        WHY="new"
    elif [ "$img" -nt "$state/files" ]; then
        WHY="made anew: changed outside build.sh"
    elif older "$state/files" "$kernel" $B/boot.bin; then
        WHY="made anew: the kernel changed"
    fi
    [ -n "$WHY" ] && return 0
    declare -A had=() want=()
    for i in "${DIRS[@]}"; do want["dir $i"]=1; done
    for i in "${NAMES[@]}"; do want["file $i"]=1; done
    while IFS= read -r i; do
        had[$i]=1
        [ -n "${want[$i]:-}" ] || { WHY="made anew: ${i#* } was removed"; return 0; }
    done <"$state/files"
    for i in "${!NAMES[@]}"; do
        if [ -z "${had["file ${NAMES[$i]}"]:-}" ] || [ "${SRCS[$i]}" -nt "$state/files" ]; then
            CHANGED+=("$i")
        fi
    done
    for i in "${DIRS[@]}"; do
        [ -n "${had["dir $i"]:-}" ] || { WHY="made anew: a new folder"; return 0; }
    done
    for i in "${CHANGED[@]}"; do       # a boot file copied over would leave its place
        [[ " ${BOOT_FILES[*]} " = *" ${NAMES[$i]} "* ]] &&
            { WHY="made anew: ${NAMES[$i]} is read at boot"; return 0; }
    done
    PLAN=update
    [ ${#CHANGED[@]} -gt 0 ] || PLAN=none
}

# sum_lines INDEX...: "name crc size" for each file given by its index into NAMES/SRCS, the
# form of the image's checksums file (bootargs is left out: the test harness replaces it).
sum_lines() {
    local i crc size path
    declare -A name_of=()
    [ $# -gt 0 ] || return 0
    for i in "$@"; do name_of[${SRCS[$i]}]=${NAMES[$i]}; done
    for i in "$@"; do
        [ "${NAMES[$i]}" = bootargs ] && continue
        printf '%s\0' "${SRCS[$i]}"
    done | xargs -0 -r cksum | while read -r crc size path; do
        echo "${name_of[$path]} $crc $size"
    done
}

# copy_files IMG INDEX...: put these files on IMG in this order, replacing what is there.
# Runs of files for the root folder go in one mcopy, under their own names.
copy_files() {
    local img=$1 i batch=()
    shift
    for i in "$@"; do
        if [[ ${NAMES[$i]} != */* ]]; then
            batch+=("${SRCS[$i]}")
            continue
        fi
        [ ${#batch[@]} = 0 ] || mcopy -o -i "$img" "${batch[@]}" ::
        batch=()
        mcopy -o -i "$img" "${SRCS[$i]}" "::${NAMES[$i]}"
    done
    [ ${#batch[@]} = 0 ] || mcopy -o -i "$img" "${batch[@]}" ::
}

# make_folders IMG: the folders, next to the boot files, each at once as large as its files
# will make it: an empty file (which takes no cluster) stands for each of them for now. So a
# folder's clusters lie together instead of one after every few of its files, and the "."
# listing, which the shell reads as it starts, takes a track read or two, not one per cluster.
make_folders() {
    local img=$1 d name tmp files
    tmp=$(mktemp -d)
    for d in "${DIRS[@]}"; do mmd -i "$img" "::$d"; done
    for name in "${NAMES[@]}"; do
        [[ $name = */* ]] || continue
        mkdir -p "$tmp/${name%/*}"
        : >"$tmp/$name"
    done
    for d in "${DIRS[@]}"; do
        [ -d "$tmp/$d" ] || continue
        mapfile -d '' files < <(find "$tmp/$d" -maxdepth 1 -type f -print0 | sort -z)
        [ ${#files[@]} = 0 ] || mcopy -i "$img" "${files[@]}" "::$d/"
    done
    rm -rf "$tmp"
}

# BOOT_FILES: what every boot reads, in the order it does (the kernel: bootargs, init; init:
# the shell). Put just after KERNEL.BIN, they share its last track or the next: one short seek
# and a track read or two at boot instead of a read wherever the files happened to land.
BOOT_FILES=(bootargs init shell)

# fresh_image IMG KERNEL TMP: a new floppy in TMP: our boot sector, KERNEL as KERNEL.BIN (the
# first file, so one contiguous run), the BOOT_FILES, every other file, `checksums`.
fresh_image() {
    local img=$1 kernel=$2 tmp=$3 state=${1##*/} d i f first=() progs=() rest=()
    declare -A boot=()
    state=$B/image/${state%.img}
    for f in "${BOOT_FILES[@]}"; do
        for i in "${!NAMES[@]}"; do
            [ "${NAMES[$i]}" = "$f" ] && { first+=("$i"); boot[$i]=1; }
        done
    done
    for i in "${!NAMES[@]}"; do
        [ -n "${boot[$i]:-}" ] && continue
        if [ "$i" -lt "$NPROGS" ]; then progs+=("$i"); else rest+=("$i"); fi
    done
    dd if=/dev/zero of="$tmp" bs=512 count=2880 status=none
    mformat -i "$tmp" -f 1440 -v PEBBLES -B $B/boot.bin ::
    mcopy -i "$tmp" "$kernel" ::KERNEL.BIN
    copy_files "$tmp" "${first[@]}"
    make_folders "$tmp"
    copy_files "$tmp" "${progs[@]}"
    [ ${#rest[@]} = 0 ] || copy_files "$tmp" "${rest[@]}"
    { echo "KERNEL.BIN $(cksum <"$kernel")"; sum_lines "${!NAMES[@]}"; } >"$state/checksums"
}

# update_image IMG TMP: copy the CHANGED files onto TMP (a copy of IMG) and mend its checksums.
update_image() {
    local img=$1 tmp=$2 state=${1##*/} i
    state=$B/image/${state%.img}
    cp "$img" "$tmp"
    copy_files "$tmp" "${CHANGED[@]}"
    {
        declare -A gone=()
        for i in "${CHANGED[@]}"; do gone[${NAMES[$i]}]=1; done
        while IFS= read -r i; do
            [ -n "${gone[${i% * *}]:-}" ] || echo "$i"
        done <"$state/checksums"
        sum_lines "${CHANGED[@]}"
    } >"$state/checksums.new"
    mv "$state/checksums.new" "$state/checksums"
}

# build_image IMG KERNEL: bring IMG up to date. The work is done on a copy that replaces IMG
# at the end, so that a test starting meanwhile copies a whole image, old or new.
build_image() {
    local img=$1 kernel=$2 state=${1##*/} tmp=$1.tmp names=() i
    state=$B/image/${state%.img}
    mkdir -p "$state"
    plan_image "$img" "$kernel"
    case $PLAN in
        none) return 0 ;;
        fresh) step image "$img ($WHY)"
               rm -f "$state/files"
               fresh_image "$img" "$kernel" "$tmp" ;;
        update) for i in "${CHANGED[@]}"; do names+=("${NAMES[$i]}"); done
                # a few by name, more by number
                [ ${#names[@]} -le 4 ] || names=("${#names[@]} files")
                step image "$img: ${names[*]}"
                update_image "$img" "$tmp" ;;
    esac
    mcopy -o -i "$tmp" "$state/checksums" ::checksums
    fsck.fat -n "$tmp" >/dev/null || die "fsck.fat rejects $img"
    mv "$tmp" "$img"
    image_listing >"$state/files"
}

#==== Malformed ELF files for exec_bad ====

# build_badelf: build/badelf/, the files of tests/data/mkbadelf.py, made again only when the
# script changed. Not on the floppy (it has little room): the case exec_bad copies them.
build_badelf() {
    older $B/stamps/badelf tests/data/mkbadelf.py || return 0
    step gen "build/badelf/ (tests/data/mkbadelf.py)"
    rm -rf $B/badelf $B/badelf.tmp
    python3 tests/data/mkbadelf.py $B/badelf.tmp
    mv $B/badelf.tmp $B/badelf
    touch $B/stamps/badelf
}

#==== Bochs's display ====

# write_bochs_display: the display fragment bochsrc includes: an X window when $DISPLAY is
# set, otherwise Bochs's curses display (term) for a text terminal.
write_bochs_display() {
    local lib why text
    if [ -n "${DISPLAY:-}" ]; then
        lib=x why="\$DISPLAY is set: an X window"
    else
        lib=term why="no \$DISPLAY: curses, for \`./build.sh screen\`"
    fi
    printf -v text '%s\n' "# Written by build.sh, which chose from its environment: $why." \
        "# A build from a desktop (or not) chooses again. See bochsrc." \
        "display_library: $lib"
    write_if_changed "$BOCHS_DISPLAY_RC" "${text%$'\n'}" || return 0
    step bochsrc "Bochs's display: $why"
}

#==== The whole build ====

# lock_build: one build at a time in this folder (several people or agents may share it).
lock_build() {
    exec {LOCK}>$B/.lock
    flock -n "$LOCK" && return 0
    echo "build.sh: waiting for another build in this folder to end" >&2
    flock "$LOCK"
}

# summary START: the last line: what the build made, or that nothing needed doing.
summary() {
    local free size steps="$STEPS steps"
    if [ "$STEPS" = 0 ]; then
        printf '  %-8s %s\n' 'done' "nothing to do, all up to date ($(since "$1") s)" >&"$OUT"
        return
    fi
    [ "$STEPS" != 1 ] || steps="1 step"
    free=$(mdir -i $B/floppy.img :: | grep 'bytes free' | tr -dc 0-9)
    size=$(stat -c %s $B/kernel.bin)
    printf '  %-8s %s\n' 'done' \
        "$steps in $(since "$1") s: kernel $size bytes, image free $free bytes" >&"$OUT"
}

# build_all [quiet]: bring build/ up to date; quiet: no summary when nothing was done.
build_all() {
    local start=$EPOCHREALTIME
    mkdir -p $B/user/lib $B/user/bin $B/guests/lib $B/guests/bin $B/image
    lock_build
    need_tools
    write_stamps
    build_assembly
    build_library            # waits for the jobs so far: the programs link with the library
    build_guest_library      # the same for the guests and their library
    build_kernels
    build_programs
    build_guests
    join
    drop_removed_programs
    drop_removed_guests
    disk_contents
    guest_contents
    build_image $B/floppy.img $B/kernel.bin
    build_image $B/floppy-selftest.img $B/kernel-selftest.bin
    write_bochs_display
    build_badelf
    exec {LOCK}>&-
    [ "${1:-}" = quiet ] && [ "$STEPS" = 0 ] && return 0
    summary "$start"
}

#==== QEMU ====

# qemu_io GDB: set QEMU_IO to where the screen, port 0xE9 and COM1 go, and say so. With
# $DISPLAY, a window (0xE9 to this terminal). In a terminal, the screen drawn there with curses
# (0xE9 to a file), except under gdb, whose command line must stay in view: then the terminal is
# COM1, a serial console (the kernel copies its console there and takes keys from it).
# Neither: 0xE9 only.
qemu_io() {
    local log=$B/qemu-e9.log
    if [ -n "${DISPLAY:-}" ]; then
        QEMU_IO=(-debugcon stdio)
        echo "qemu: the screen is a window; closing it quits" >&2
    elif ! [ -t 0 ] || ! [ -t 1 ]; then
        QEMU_IO=(-display none -debugcon stdio)
        echo "qemu: no screen (no \$DISPLAY, no terminal): the console copy only" >&2
    elif [ "$1" = yes ]; then
        QEMU_IO=(-display none -serial mon:stdio -debugcon "file:$log")
        echo "qemu: this terminal is COM1, a serial console; Ctrl-A x quits" >&2
    else
        QEMU_IO=(-display curses -debugcon "file:$log")
        echo "qemu: the screen is this terminal; Alt+2 then \`quit\` quits;" \
            "the console copy goes to $log" >&2
    fi
}

# run_qemu GDB OPTION...: boot build/floppy.img in QEMU (64 MiB, the wall clock's time),
# stopped for gdb when GDB is yes; the OPTIONs go to QEMU.
run_qemu() {
    local gdb=$1 wait=()
    shift
    qemu_io "$gdb"
    if [ "$gdb" = yes ]; then
        wait=(-gdb "tcp:localhost:$GDB_PORT" -S)
        echo "gdb: QEMU waits, stopped before the BIOS. In another terminal, type:" >&2
        echo "    gdb -q $PWD/$B/kernel.elf -ex 'target remote localhost:$GDB_PORT'" \
            "-ex 'break kernel_main' -ex continue" >&2
    fi
    restore_locale
    # snapshot=on: guest writes go to a throw-away overlay, never into the build's image.
    # isa-debug-exit and -no-reboot: QEMU ends when the kernel halts or the CPU resets.
    # shellcheck disable=SC2054  # the commas belong to QEMU's options
    qemu-system-i386 -machine pc -m 64 -boot a -rtc base=localtime -no-reboot \
        -drive "file=$B/floppy.img,if=floppy,format=raw,snapshot=on" \
        -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
        "${QEMU_IO[@]}" "${wait[@]}" "$@" || exit_as_kernel $?
}

# exit_as_kernel STATUS: leave as `run` would. The kernel ends QEMU through isa-debug-exit
# with 0 (QEMU's status 1) for a clean halt, 1 (status 3) after a panic.
exit_as_kernel() {
    case $1 in
        1) exit 0 ;;
        3) echo "qemu: kernel panic" >&2; exit 250 ;;
        *) exit "$1" ;;
    esac
}

# restore_locale: give programs run for the user the locale they came with.
restore_locale() {
    if [ "$USER_LC_ALL" = unset ]; then unset LC_ALL; else export LC_ALL=$USER_LC_ALL; fi
}

#==== Bochs's curses screen ====

# bochs_screen_ptys: the pseudo-terminals on which running Bochs processes of this user draw
# a term display, as "PID /dev/pts/N" lines. Such a Bochs holds /dev/ptmx open, the master
# side; Linux gives the slave's number as tty-index in the master's fdinfo.
bochs_screen_ptys() {
    local pid fd index
    for pid in $(pgrep -u "$(id -u)" -x bochs-bin); do
        for fd in /proc/"$pid"/fd/*; do
            [ "$(readlink "$fd" 2>/dev/null)" = /dev/ptmx ] || continue
            index=$(sed -n 's/^tty-index:[[:space:]]*//p' /proc/"$pid"/fdinfo/"${fd##*/}")
            [ -n "$index" ] && echo "$pid /dev/pts/$index"
        done
    done
}

# find_bochs_screen: set SCREEN_PID and SCREEN_PTY to the one Bochs's screen, or explain.
find_bochs_screen() {
    local found
    found=$(bochs_screen_ptys)
    [ -n "$found" ] || die "screen: no Bochs with the term display runs (start \`bochs\` first)"
    [ "$(wc -l <<<"$found")" = 1 ] ||
        die "screen: several Bochs screens; name one: $(cut -d ' ' -f 2 <<<"$found" | xargs)"
    read -r SCREEN_PID SCREEN_PTY <<<"$found"
}

# relay_keys PTY: type what this terminal types into PTY, one byte at a time, until Ctrl-].
# Bochs's term display takes a newline for Enter (a carriage return would be keypad Delete).
relay_keys() {
    local key
    while IFS= read -rsn1 -d '' key; do
        case $key in
            $'\x1d') return ;;
            $'\r') key=$'\n' ;;
        esac
        printf '%s' "$key" >&3
    done 3>"$1"
}

# attach_screen [PTY]: show a Bochs term display here and type into it.
attach_screen() {
    local saved reader
    SCREEN_PTY=${1:-} SCREEN_PID=''
    [ -t 0 ] && [ -t 1 ] || die "screen: needs a terminal"
    [ -n "$SCREEN_PTY" ] || find_bochs_screen
    [ -c "$SCREEN_PTY" ] || die "screen: $SCREEN_PTY is not a terminal device"
    if [ -n "$SCREEN_PID" ] && ! tr '\0' '\n' <"/proc/$SCREEN_PID/environ" | grep -qx LINES=25
    then
        echo "screen: this Bochs draws 24 rows of 25; \`LINES=25 bochs\` draws all" >&2
    fi
    echo "screen: $SCREEN_PTY; Ctrl-] leaves (Bochs runs on)" >&2
    sleep 1
    stty -F "$SCREEN_PTY" raw -echo        # bytes pass unchanged both ways
    saved=$(stty -g)
    stty raw -echo
    cat "$SCREEN_PTY" &
    reader=$!
    relay_keys "$SCREEN_PTY" || true
    kill "$reader" 2>/dev/null || true
    stty "$saved"
    printf '\033[0m\033[H\033[2J'           # leave a clean terminal behind
}

#==== A new program ====

# The shell's built-in commands (user/progs/shell.c): a program of such a name would never run.
SHELL_BUILTINS="help exit status history wait"

# check_new_name NAME: refuse a name that is malformed or already taken.
check_new_name() {
    local name=$1 f
    [[ $name =~ ^[a-z][a-z0-9_]{0,30}$ ]] ||
        die "new: '$name': use a lower-case letter, then up to 30 lower-case letters, digits, _"
    for f in user/progs/$name.c user/tests/$name.c; do
        [ ! -e "$f" ] || die "new: $f already exists"
    done
    case " $SHELL_BUILTINS kernel.bin checksums bootargs " in
        *" $name "*) die "new: '$name' is taken (a shell built-in or a file on the disk)" ;;
    esac
    # FAT names ignore case: compare with disk/'s top level in lower case.
    for f in disk/*; do
        [ "$(basename "${f,,}")" != "$name" ] || die "new: '$name' is taken by $f"
    done
}

# program_template NAME: the first version of user/progs/NAME.c.
program_template() {
    cat <<EOF
/*
 * $1 - (say here what $1 does).
 *
 * Made by \`./build.sh new $1\`. Every .c file in user/progs is a program: ./build.sh
 * compiles it, links it with user/lib (crt0.o, libpebbles.a) and copies it onto the floppy.
 *     ./build.sh run $1 a b     boots, runs \`$1 a b\`, prints the console, exits with its status
 *     ./build.sh qemu            boots to the shell, where \`$1 a b\` runs it
 * The headers are in user/inc: syscall.h declares every system call; stdio.h, stdlib.h,
 * string.h, ctype.h, assert.h and malloc.h are a small libc; thread.h, mutex.h, cond.h, sem.h
 * and rwlock.h the thread library; simics.h lprintf (to the debug log) and MAGIC_BREAK.
 */
#include <stdio.h>
#include <syscall.h>

/* argv[0] is the program's name; the value main returns is its exit status. */
int main(int argc, char **argv)
{
    printf("%s: hello from task %d\n", argv[0], gettid());
    for (int i = 1; i < argc; i++)
        printf("argument %d: %s\n", i, argv[i]);
    return 0;
}
EOF
}

# new_program NAME: write user/progs/NAME.c from the template.
new_program() {
    [ $# = 1 ] || { usage new >&2; exit 2; }
    check_new_name "$1"
    program_template "$1" >"user/progs/$1.c"
    step new "user/progs/$1.c (try it: ./build.sh run $1)"
}

#==== Commands ====

# run_names_program ARG...: whether `run`'s arguments hold a program to run.
run_names_program() {
    while [ $# -gt 0 ]; do
        case $1 in
            --add|--timeout) shift 2 || return 1 ;;
            --) [ $# -ge 2 ]; return ;;
            -*) shift ;;
            *) return 0 ;;
        esac
    done
    return 1
}

# no_arguments COMMAND ARG...: a command that takes none refuses any.
no_arguments() {
    local cmd=$1
    shift
    [ $# = 0 ] || { usage "$cmd" >&2; exit 2; }
}

# The commands: each gets its arguments after the command's name (see usage).
cmd_build() {
    no_arguments build "$@"
    build_all
}

# test: the step lines on stdout, before the harness's own.
cmd_test() {
    build_all
    exec tests/harness.sh test "$@"
}

# run, bench, qemu, gdb: step lines on stderr, and none when nothing needed building, so
# that what follows is the machine's console.
cmd_run() {
    run_names_program "$@" || { usage run >&2; exit 2; }
    OUT=2
    build_all quiet
    exec tests/harness.sh run "$@"
}

cmd_bench() {
    local guest=()
    [ "${1:-}" = --guest ] && guest=(--guest) && shift
    OUT=2
    build_all quiet
    tests/harness.sh run "${guest[@]}" --timeout 600 -- bench "$@" || return
    [ ${#guest[@]} = 0 ] || return 0
    # the boot to the shell's first prompt: the boot_prompt case types at it, and logs it
    tests/harness.sh test --bochs boot_prompt >/dev/null || die "bench: boot_prompt failed"
    grep -ao 'kernel: boot took.*' $B/test-logs/bochs/boot_prompt.log | sed 's/^/bench: /'
}

# fuzz: a seed is drawn here when none is given: the emulators' clocks count instructions,
# so the program's own seed (from the timer) would be the same on every run.
cmd_fuzz() {
    local emu=--bochs secs='' calls seed
    while [ $# -gt 0 ]; do
        case $1 in
            --qemu|--bochs) emu=$1 ;;
            --timeout) [[ ${2:-} =~ ^[1-9][0-9]*$ ]] || { usage fuzz >&2; exit 2; }
                       secs=$2; shift ;;
            -*) usage fuzz >&2; exit 2 ;;
            *) break ;;
        esac
        shift
    done
    calls=${1:-100000}
    seed=${2:-$((RANDOM << 15 | RANDOM))}
    [[ $calls =~ ^[0-9]+$ && $seed =~ ^[0-9]+$ ]] || { usage fuzz >&2; exit 2; }
    shift $(($# < 2 ? $# : 2))
    secs=${secs:-$((120 + calls / 2000))}
    OUT=2
    build_all quiet
    echo "fuzz: $calls calls, seed $seed, in ${emu#--}, time limit $secs s" >&2
    fuzz_run "$emu" "$secs" "$calls" "$seed" "$@"
}

# fuzz_run EMU SECS CALLS SEED [-CALL...]: one run, its console also in build/fuzz.log; the
# verdict and the time last. run's status says nothing of a leak: the log does.
fuzz_run() {
    local start=$EPOCHREALTIME rc=0 verdict=passed
    tests/harness.sh run "$1" --timeout "$2" -- fuzz "${@:3}" | tee $B/fuzz.log ||
        rc=${PIPESTATUS[0]}
    if [ "$rc" = 0 ] && grep -a -q 'init: frames leaked' $B/fuzz.log; then rc=1; fi
    [ "$rc" = 0 ] || verdict="FAILED (status $rc)"
    echo "fuzz: seed $4, $3 calls in ${1#--}: $verdict after $(since "$start") s" >&2
    exit "$rc"
}

cmd_qemu() {
    OUT=2
    build_all quiet
    run_qemu no "$@"
}

cmd_gdb() {
    OUT=2
    build_all quiet
    run_qemu yes "$@"
}

# new, screen, clean: nothing is built first.
cmd_new() {
    new_program "$@"
}

cmd_screen() {
    [ $# -le 1 ] || { usage screen >&2; exit 2; }
    attach_screen "$@"
}

cmd_clean() {
    no_arguments clean "$@"
    rm -rf $B
    step clean "$B/ removed"
}

# main COMMAND ARG...: the command, or its help when its first argument asks for it.
main() {
    local cmd=${1:-build}
    [ $# = 0 ] || shift
    case $cmd in
        help|-h|--help) usage_all; exit 0 ;;
        build|run|test|bench|fuzz|qemu|gdb|new|screen|clean) ;;
        *) echo "build.sh: no command '$cmd'" >&2; usage_all >&2; exit 2 ;;
    esac
    case ${1:-} in
        -h|--help) usage "$cmd"; exit 0 ;;
    esac
    "cmd_$cmd" "$@"
}

main "$@"
