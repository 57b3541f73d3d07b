#!/usr/bin/env bash
# tests/build_check.sh: checks that ./build.sh is incremental and right about what it redoes.
#
# Works in a copy of the repository (the working tree as it is, without build/ and .git), so
# that it may touch, add and remove files: builds it from nothing, then checks that a second
# build does nothing, that `./build.sh run hello` reaches the emulator within a second, and
# that each kind of change (a program, a header, build.sh's flags, a new program, a disk file,
# a removed program, entry.asm) redoes exactly what depends on it, leaving both floppy images
# with the right files and a `checksums` list that matches them.
#
# Prints one line as the test harness does (`build/incremental PASS|FAIL seconds`) and keeps
# the details in build/test-logs/build/incremental.log. Exit status 0 when it passes.
# `./build.sh test` runs it first, alone, since it times builds.
set -euo pipefail
export LC_ALL=C MTOOLS_SKIP_CHECK=1

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TEST=build/incremental
LOG=$ROOT/build/test-logs/build/incremental.log
MAX_NOOP=1.0                # seconds a build with nothing to do may take
MAX_START=1.0               # seconds `./build.sh run hello` may take to start the emulator
START=$EPOCHREALTIME
WORK=''                     # the temporary folder with the copy (repo/) and a fake emulator
REPO=''

#==== Reporting ====

log() {
    echo "$*" >>"$LOG"
}

# seconds_since T: seconds from T (an $EPOCHREALTIME) to now, two decimals.
seconds_since() {
    local now=${EPOCHREALTIME/[.,]/} then=${1/[.,]/} cs
    cs=$(( (now - then) / 10000 ))
    printf '%d.%02d' $((cs / 100)) $((cs % 100))
}

# at_most VALUE LIMIT: whether VALUE <= LIMIT (both decimal seconds).
at_most() {
    awk -v v="$1" -v l="$2" 'BEGIN { exit !(v <= l) }'
}

# fail WHY: the check failed: say so in the log and on the result line; keep the copy.
fail() {
    log "FAIL: $*"
    log "(the copy is kept in $WORK)"
    printf '%-40s FAIL %6ss  %s (log: %s)\n' "$TEST" "$(seconds_since "$START")" \
        "$(echo "$*" | cut -c 1-60)" "${LOG#"$ROOT"/}"
    trap - EXIT
    exit 1
}

# unexpected_exit: an unplanned stop (set -e) counts as a failure too.
unexpected_exit() {
    local rc=$?
    [ $rc = 0 ] || fail "stopped by a failed command (status $rc), see the log"
}

#==== Running builds in the copy ====

# build [ARG...]: ./build.sh ARG... in the copy; its output in OUTPUT (and the log), the
# step lines in STEPS (without the summary), its wall time in SECS. Fails on an error.
build() {
    local t=$EPOCHREALTIME
    log "\$ ./build.sh $*"
    if ! OUTPUT=$(cd "$REPO" && ./build.sh "$@" 2>&1 </dev/null); then
        log "$OUTPUT"
        fail "./build.sh $* failed"
    fi
    SECS=$(seconds_since "$t")
    log "$OUTPUT"
    log "($SECS s)"
    STEPS=$(grep -v '^  done ' <<<"$OUTPUT" | sed 's/^  //; s/  */ /' || true)
}

# expect_steps LINE...: the last build did exactly these steps (any order).
expect_steps() {
    local want got
    want=$(printf '%s\n' "$@" | sort)
    got=$(sort <<<"$STEPS")
    [ "$want" = "$got" ] && return 0
    log "expected steps:"
    log "$want"
    fail "wrong steps after $CHANGE: $(diff <(echo "$want") <(echo "$got") | grep '^[<>]' |
        head -n 1)"
}

#==== Checking the images ====

# sums_of DIR NAME...: "NAME crc size" for each file DIR/NAME, sorted (one cksum for all).
sums_of() {
    local dir=$1
    shift
    (cd "$dir" && cksum -- "$@") | sed -E 's/^([0-9]+) ([0-9]+) (.*)$/\3 \1 \2/' | sort
}

# check_image IMG KERNEL: IMG holds KERNEL as KERNEL.BIN in one run of clusters, every program
# and disk file as built and nothing else, and its checksums list is right for each file but
# bootargs. Compares "name crc size" lists: checksums, the files on IMG, the files built.
check_image() {
    local img=$REPO/build/$1 dir=$WORK/files.$1 listed on_image built names=() progs=()
    local guests=()
    rm -rf "$dir" && mkdir -p "$dir"
    fsck.fat -n "$img" >/dev/null || fail "$1: fsck.fat rejects it"
    mcopy -s -n -i "$img" '::*' "$dir/" || fail "$1: cannot read it"
    mshowfat -i "$img" ::KERNEL.BIN | grep -q '<[0-9]*-[0-9]*>$' ||
        fail "$1: KERNEL.BIN is not one contiguous run"
    cmp -s "$dir/bootargs" "$REPO/disk/bootargs" || fail "$1: bootargs is not disk/bootargs"
    listed=$(sort "$dir/checksums")
    mapfile -t names < <(cd "$dir" && find . -type f ! -name checksums ! -name bootargs |
                         sed 's|^\./||')
    on_image=$(sums_of "$dir" "${names[@]}")
    [ "$listed" = "$on_image" ] || fail "$1: checksums does not match its files: $(
        diff <(echo "$listed") <(echo "$on_image") | grep '^[<>]' | head -n 1)"
    mapfile -t names < <(cd "$REPO/disk" && find . -type f ! -name bootargs | sed 's|^\./||')
    mapfile -t progs < <(cd "$REPO/build/user/bin" && printf '%s\n' *)
    mapfile -t guests < <(cd "$REPO/build/guests/bin" && printf '%s\n' *)
    built=$( { sums_of "$REPO/build/user/bin" "${progs[@]}"
               sums_of "$REPO/build/guests/bin" "${guests[@]}" | sed 's|^|guests/|'
               sums_of "$REPO/disk" "${names[@]}"
               sums_of "$REPO/build" pebbles-guest
               sums_of "$REPO/build" "$2" | sed "s|^$2 |KERNEL.BIN |"; } | sort)
    [ "$listed" = "$built" ] || fail "$1: its files are not those built: $(
        diff <(echo "$built") <(echo "$listed") | grep '^[<>]' | head -n 1)"
    log "$1: $(wc -l <<<"$listed") files, each as built and as checksums says"
}

check_images() {
    check_image floppy.img kernel.bin
    check_image floppy-selftest.img kernel-selftest.bin
}

#==== The checks ====

# copy_repository: the working tree, without build/ and .git, into a fresh folder.
copy_repository() {
    WORK=$(mktemp -d /tmp/pebbles-build-check.XXXXXX)
    REPO=$WORK/repo
    mkdir -p "$REPO"
    tar -C "$ROOT" --exclude=./build --exclude=./.git -cf - . | tar -C "$REPO" -xf -
    log "copy of $ROOT in $REPO"
}

# check_clean_build: a first build makes everything and takes both images from nothing.
check_clean_build() {
    build
    log "clean build: $SECS s"
    grep -q '^image build/floppy.img (new)$' <<<"$STEPS" || fail "clean build: no new image"
    check_images
}

# check_nothing_to_do WHEN: a build now does nothing, quickly (best of three, so that a
# moment of load elsewhere does not fail it).
check_nothing_to_do() {
    local best=99
    for _ in 1 2 3; do
        build
        [ -z "$STEPS" ] || fail "a build $1 did work: $(head -n 1 <<<"$STEPS")"
        at_most "$SECS" "$best" && best=$SECS
        at_most "$best" "$MAX_NOOP" && break
    done
    at_most "$best" "$MAX_NOOP" || fail "a build $1 took $best s (limit $MAX_NOOP s)"
    log "build with nothing to do ($1): $best s"
}

# check_run_starts_at_once: `./build.sh run hello` reaches the emulator within MAX_START
# seconds; a stand-in `bochs` first on PATH notes the moment it starts and halts at once.
# Best of three, so that a moment of load elsewhere does not fail it.
check_run_starts_at_once() {
    local t best=99 secs
    mkdir -p "$WORK/bin"
    cat >"$WORK/bin/bochs" <<'EOF'
#!/usr/bin/env bash
echo "$EPOCHREALTIME" >"$STARTED"
echo "(0) [0x0000fffffff0] f000:fff0 (stand-in for Bochs): jmpf 0xf000:e05b"
echo "Pebbles kernel booting (not really: tests/build_check.sh)"
echo "kernel: halt, status 0"
EOF
    chmod +x "$WORK/bin/bochs"
    for _ in 1 2 3; do
        t=$EPOCHREALTIME
        (cd "$REPO" && PATH=$WORK/bin:$PATH STARTED=$WORK/started \
            ./build.sh run hello </dev/null >>"$LOG" 2>&1) || fail "run hello failed"
        secs=$(awk -v a="$t" -v b="$(cat "$WORK/started")" 'BEGIN { printf "%.2f", b - a }')
        log "run hello: the emulator started after $secs s"
        at_most "$secs" "$best" && best=$secs
    done
    at_most "$best" "$MAX_START" ||
        fail "run hello: $best s before the emulator started (limit $MAX_START s)"
}

# check_program_change: a changed program is compiled and copied onto both images.
check_program_change() {
    CHANGE="touching user/progs/hello.c"
    touch "$REPO/user/progs/hello.c"
    build
    expect_steps "cc user/progs/hello.c" "image build/floppy.img: hello" \
        "image build/floppy-selftest.img: hello"
    check_images
}

# check_header_change: a header recompiles exactly the files that include it.
check_header_change() {
    local src progs=() steps=()
    CHANGE="touching user/tests/keyin.h"
    touch "$REPO/user/tests/keyin.h"
    build
    for src in $(cd "$REPO" && grep -l '#include "keyin.h"' user/tests/*.c); do
        steps+=("cc $src")
        src=${src##*/}
        progs+=("${src%.c}")
    done
    [ ${#progs[@]} -gt 0 ] || fail "nothing includes user/tests/keyin.h any more"
    [ ${#progs[@]} -le 4 ] || progs=("${#progs[@]} files")    # as build.sh shows them
    expect_steps "${steps[@]}" "image build/floppy.img: ${progs[*]}" \
        "image build/floppy-selftest.img: ${progs[*]}"
    check_images
}

# check_flags_change: a change of the kernel's flags in build.sh compiles both kernels again
# (and nothing else), and both images are made anew, KERNEL.BIN first.
check_flags_change() {
    CHANGE="adding -DBUILD_CHECK to KCFLAGS in build.sh"
    # shellcheck disable=SC2016  # the $ is build.sh's
    sed -i 's|^KCFLAGS="\$CFLAGS_COMMON|KCFLAGS="-DBUILD_CHECK $CFLAGS_COMMON|' "$REPO/build.sh"
    grep -q 'DBUILD_CHECK' "$REPO/build.sh" || fail "cannot find KCFLAGS in build.sh"
    build
    expect_steps "cc kernel.c -> build/kernel.bin" "cc kernel.c -> build/kernel-selftest.bin" \
        "cc kernel.c -> build/pebbles-guest" \
        "image build/floppy.img (made anew: the kernel changed)" \
        "image build/floppy-selftest.img (made anew: the kernel changed)"
    check_images
}

# check_new_program: `new` makes a program that the next build compiles and puts on the disk;
# it refuses a name taken or malformed.
check_new_program() {
    CHANGE="./build.sh new bcheck_prog"
    build new bcheck_prog
    [ -f "$REPO/user/progs/bcheck_prog.c" ] || fail "new: no user/progs/bcheck_prog.c"
    ! (cd "$REPO" && ./build.sh new bcheck_prog >/dev/null 2>&1) ||
        fail "new: accepted a name already taken"
    ! (cd "$REPO" && ./build.sh new Bad-Name >/dev/null 2>&1) || fail "new: accepted Bad-Name"
    build
    expect_steps "cc user/progs/bcheck_prog.c" "image build/floppy.img: bcheck_prog" \
        "image build/floppy-selftest.img: bcheck_prog"
    check_images
}

# check_disk_file_change: a changed file under disk/ is copied again, in its folder.
check_disk_file_change() {
    CHANGE="changing disk/docs/readme.txt"
    echo "(a line added by tests/build_check.sh)" >>"$REPO/disk/docs/readme.txt"
    build
    expect_steps "image build/floppy.img: docs/readme.txt" \
        "image build/floppy-selftest.img: docs/readme.txt"
    check_images
}

# check_removed_program: a program whose source is gone leaves the disk, made anew.
check_removed_program() {
    CHANGE="removing user/progs/bcheck_prog.c"
    rm "$REPO/user/progs/bcheck_prog.c"
    build
    expect_steps "remove bcheck_prog (its source is gone)" \
        "image build/floppy.img (made anew: bcheck_prog was removed)" \
        "image build/floppy-selftest.img (made anew: bcheck_prog was removed)"
    check_images
}

# check_kernel_change: a change to entry.asm relinks the three kernels (kernel.c is not compiled
# again) and both images are made anew, KERNEL.BIN first.
check_kernel_change() {
    CHANGE="touching entry.asm"
    touch "$REPO/entry.asm"
    build
    expect_steps "nasm entry.asm" "nasm entry.asm -DGUEST" "ld build/kernel.bin" \
        "ld build/kernel-selftest.bin" "ld build/pebbles-guest" \
        "image build/floppy.img (made anew: the kernel changed)" \
        "image build/floppy-selftest.img (made anew: the kernel changed)"
    check_images
}

main() {
    mkdir -p "$(dirname "$LOG")"
    : >"$LOG"
    trap unexpected_exit EXIT
    copy_repository
    check_clean_build
    check_nothing_to_do "after a clean build"
    check_run_starts_at_once
    check_program_change
    check_header_change
    check_flags_change
    check_new_program
    check_disk_file_change
    check_removed_program
    check_kernel_change
    check_nothing_to_do "after all that"
    trap - EXIT
    rm -rf "$WORK"
    log "PASS"
    printf '%-40s PASS %6ss\n' "$TEST" "$(seconds_since "$START")"
}

main "$@"
