#!/usr/bin/env bash
# tests/harness.sh: boots the Pebbles kernel in Bochs or QEMU and judges what it prints.
#
#   tests/harness.sh test [--bochs] [--qemu] [--both] [--guest] [--jobs N] [--misbehave N]
#                         [NAME-GLOB...]
#       (no emulator option, no --misbehave, no --guest: the full suite, see FULL_SUITE)
#   tests/harness.sh run [--bochs|--qemu] [--guest] [--add FILE]... [--timeout S] [--selftest]
#                        [--] PROG [ARGS...]
#
# Every boot uses a scratch copy of build/floppy.img, so tests never change the build and can run
# side by side. The kernel copies its console to port 0xE9; both emulators hand those bytes to us
# (QEMU as a clean stream, Bochs mixed with its debugger's lines, which we strip). Test cases are
# tests/cases/NAME.t; their format and the marker lines are described in the README.
#
# Cases that type (keys type:, serial:, after:, screenshot:, screen:) also run tests/typist.py
# beside the emulator: it watches the output, types on the PS/2 keyboard (QEMU: its QMP monitor;
# Bochs: its VNC display) or into COM1 (a socket) once the lines above each type:/serial: have
# appeared, and saves screenshot:s as build/test-logs/<pass>/NAME.png and NAME.txt. Their
# expectations are judged by `typist.py check`, which also knows after: and screen:.
set -u
export LC_ALL=C MTOOLS_SKIP_CHECK=1    # plain byte strings; mtools quiet about geometry

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=$ROOT/build
CASES=$ROOT/tests/cases
LOGS=$BUILD/test-logs
WORK=$BUILD/test-work
TEST_TIMEOUT=20             # seconds of wall time for a test case without `timeout:`
TYPE_TIMEOUT=60             # the same for a case that types (it waits for the guest too)
RUN_TIMEOUT=60              # seconds for `run` without --timeout
TIME0=946684800             # emulated clock start (2000-01-01 UTC): the same every run

# QEMU's clocks. By default, like Bochs, emulated time counts instructions (16 ns each, about
# 60 million a second; an idle CPU skips ahead), so a run repeats exactly and a loaded machine
# cannot make a timing test fail. QEMU_REALTIME=1 lets time follow the wall clock instead:
# interrupts then land at other places on every run, which can shake out races (and flaky tests).
# shellcheck disable=SC2054  # the commas belong to QEMU's options
if [ "${QEMU_REALTIME:-0}" = 1 ]; then
    QEMU_CLOCK=(-rtc base=2000-01-01T00:00:00)
else
    QEMU_CLOCK=(-icount shift=4,sleep=off -rtc base=2000-01-01T00:00:00,clock=vm)
fi

BANNER_RE='Pebbles kernel booting \(version [^,)]*\)'      # a guest's says ", a guest)"
PANIC='KERNEL PANIC'
LEAK='init: frames leaked'
MISBEHAVE=''                # misbehave(N) that init calls before each case of a run ('' none)
# What `test` runs without emulator options: the whole suite in both emulators, and again with
# 1 ms timer ticks (misbehave 1) in Bochs and with every misbehave mode (7) in QEMU.
FULL_SUITE=(bochs qemu bochs-m1 qemu-m7)
# --guest runs a case inside this kernel built as a guest (kernel.c section 6): the machine's
# kernel runs build/pebbles-guest, whose init runs the case (named by the file guest-bootargs).
# A pass in this mode is named EMU-guest (qemu-guest, qemu-guest-m7). The full suite also runs
# these cases so, in both emulators: one or more of each kind of thing the kernel does.
GUEST_SUITE=(hello fork_wait fork_grandchild exec_args cow_test zfod_test new_pages_test
             stack_test_overflow sleep_test deschedule_test thr_mutex thr_cond swexn_basic
             readfile_test ls print_test console_test shell_session syscall_fuzz)
GUEST_RUN=no                # yes while a case runs inside the guest
GUEST_SLOWDOWN=3            # a case's time-out is this many times longer inside the guest
HALT_RE='kernel: halt, status -?[0-9]+'
TYPIST=$ROOT/tests/typist.py
# Debian's own python3 when there: a version manager's shim first in PATH (pyenv's) can take a
# second or more to start, and a loaded machine stretches that further.
PYTHON=python3
[ -x /usr/bin/python3 ] && PYTHON=/usr/bin/python3
BOCHS_COM1=0.0.0.0:5555     # where a typing case's Bochs serves COM1 (in its own namespace)

die() { echo "harness: $*" >&2; exit 2; }

# usage [STATUS]: the synopsis from the top of this file; to stderr unless asked for (--help).
usage() {
    if [ "${1:-2}" = 0 ]; then
        sed -n '4,7p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    else
        sed -n '4,7p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
    fi
    exit "${1:-2}"
}

#==== Scratch images ====

# copy_onto IMG LOCAL NAME: put a local file on the image's root as NAME, replacing any old one.
copy_onto() {
    mcopy -o -i "$1" "$2" "::$3"
}

# selftest_image IMG: a floppy like build/floppy.img that boots build/kernel-selftest.bin.
# build.sh makes one (build/floppy-selftest.img). Without it we make it here: the boot sector
# may only read a contiguous KERNEL.BIN and mcopy over the old one would split a larger kernel,
# so we format anew, copy the kernel first, then every other file of build/floppy.img.
selftest_image() {
    local img=$1 files
    if [ -f "$BUILD/floppy-selftest.img" ]; then
        cp "$BUILD/floppy-selftest.img" "$img"
        return
    fi
    [ -f "$BUILD/kernel-selftest.bin" ] || return 1
    files=$(dirname "$img")/files
    mkdir -p "$files" || return 1
    mcopy -s -n -i "$BUILD/floppy.img" '::*' "$files/" || return 1
    rm -f "$files/KERNEL.BIN"
    mformat -C -f 1440 -B "$BUILD/boot.bin" -i "$img" :: || return 1
    mcopy -i "$img" "$BUILD/kernel-selftest.bin" ::KERNEL.BIN || return 1
    mcopy -s -i "$img" "$files"/* :: || return 1
    update_checksums "$img" "KERNEL.BIN=$BUILD/kernel-selftest.bin" || return 1
    rm -rf "$files"
}

# update_checksums IMG NAME=FILE...: keep the image's `checksums` list (read by the kernel's
# floppy self-test) true for the files the harness replaced or added. (bootargs is not listed.)
update_checksums() {
    local img=$1 dir list pair name sum
    dir=$(dirname "$img")
    list=$dir/checksums
    mcopy -n -i "$img" ::checksums "$list" 2>/dev/null || return 0   # image has no list
    shift
    for pair in "$@"; do
        name=${pair%%=*}
        sum=$(cksum < "${pair#*=}") || return 1
        awk -v n="$name" '$1 != n' "$list" > "$list.new" || return 1
        printf '%s %s\n' "$name" "$sum" >> "$list.new"
        mv "$list.new" "$list"
    done
    copy_onto "$img" "$list" checksums
}

# make_image DIR KERNEL BOOTARGS ADD...: DIR/floppy.img ready to boot. KERNEL is "normal" or
# "selftest"; BOOTARGS the first program's command line; each ADD a local file to copy on.
# Prints why on failure.
make_image() {
    local dir=$1 kernel=$2 bootargs=$3 img=$1/floppy.img f sums=()
    shift 3
    if [ "$kernel" = selftest ]; then
        selftest_image "$img" >/dev/null 2>&1 ||
            { echo "cannot make the self-test image (build/kernel-selftest.bin?)"; return 1; }
    else
        cp "$BUILD/floppy.img" "$img" || { echo "cannot copy build/floppy.img"; return 1; }
    fi
    if [ "$GUEST_RUN" = yes ]; then             # the machine's init runs the guest, the
        printf '%s\n' "$bootargs" > "$dir/guest-bootargs"     # guest's init the program
        copy_onto "$img" "$dir/guest-bootargs" guest-bootargs ||
            { echo "cannot write guest-bootargs"; return 1; }
        bootargs=pebbles-guest
    fi
    printf '%s\n' "$bootargs" > "$dir/bootargs"
    copy_onto "$img" "$dir/bootargs" bootargs || { echo "cannot write bootargs"; return 1; }
    for f in "$@"; do
        [ -f "$f" ] || { echo "add: no file $f"; return 1; }
        copy_onto "$img" "$f" "$(basename "$f")" || { echo "cannot add $f"; return 1; }
        sums+=("$(basename "$f")=$f")
    done
    [ ${#sums[@]} = 0 ] || update_checksums "$img" "${sums[@]}" ||
        { echo "cannot update checksums"; return 1; }
}

#==== Emulators ====

# Bochs's rfb display (the only headless one) listens on the first free TCP port from 5900 and
# two Bochs starting together fight for it. A private network namespace per run gives each its
# own port 5900, reachable from nowhere. It needs root or user namespaces; without both we let
# one Bochs start at a time instead. (The loopback device may stay down: binding 0.0.0.0 works.)
pick_isolation() {
    ISOLATE=()
    if unshare -n true 2>/dev/null; then
        ISOLATE=(unshare -n)
    elif unshare -rn true 2>/dev/null; then
        ISOLATE=(unshare -rn)
    else
        echo "harness: no network namespace here; Bochs runs will start one at a time" >&2
    fi
}

# wait_start_turn: without a namespace, take a lock that a sleeper keeps for half a second,
# long enough for this Bochs to claim its port before the next one looks for a free one.
wait_start_turn() {
    local fd
    [ ${#ISOLATE[@]} -gt 0 ] && return 0
    exec {fd}>"$BUILD/.bochs-start.lock"
    flock "$fd"
    sleep 0.5 &           # inherits the locked file, so the lock lasts until it exits
    exec {fd}>&-
}

# write_bochsrc DIR KERNEL [TYPING]: the configuration for one unattended, deterministic run
# of DIR/floppy.img. With the kernel's symbols, so that `bochs -q -f bochsrc` in a failed test's
# folder replays the run in the debugger with names. TYPING (yes) serves COM1 on a socket for
# the typist, and Bochs waits for it to connect before the machine starts.
write_bochsrc() {
    local sym=$BUILD/kernel.sym com1='mode=file, dev=com1.txt'
    [ "$2" = selftest ] && sym=$BUILD/kernel-selftest.sym
    [ "${3:-no}" = yes ] && com1="mode=socket-server, dev=$BOCHS_COM1"
    cat > "$1/bochsrc" <<EOF
# Written by tests/harness.sh for one headless run; see the top-level bochsrc for comments.
romimage: file=\$BXSHARE/BIOS-bochs-latest
vgaromimage: file=\$BXSHARE/VGABIOS-lgpl-latest
megs: 64
floppya: 1_44=floppy.img, status=inserted
boot: floppy
port_e9_hack: enabled=1
display_library: rfb, options="timeout=0"
clock: sync=none, time0=$TIME0
cpu: ips=5000000, reset_on_triple_fault=0
magic_break: enabled=0
com1: enabled=1, $com1
sound: driver=dummy
mouse: enabled=0
log: bochs.log
panic: action=fatal
error: action=report
info: action=report
debug: action=ignore
EOF
    [ -f "$sym" ] && echo "debug_symbols: file=$sym" >> "$1/bochsrc"
    echo c > "$1/bochs.cmds"     # the debugger's only command: continue
}

# emu_command EMU DIR SECONDS FOREGROUND KERNEL [CASE SHOTS]: set CMD to the command that boots
# DIR/floppy.img, to be run from DIR with stdin /dev/null. timeout ends a run that outlives
# SECONDS; FOREGROUND (yes for `run`) keeps the emulator in the terminal's process group so
# Ctrl-C reaches it. KERNEL (normal or selftest) picks the symbols for Bochs. With CASE, the
# typist types that case's input and saves its screenshots in SHOTS (see typist_command).
emu_command() {
    local emu=$1 dir=$2 secs=$3 fg=() typing=no com1=(-serial file:com1.txt) qmp=()
    [ "$4" = yes ] && fg=(--foreground)
    [ $# -ge 7 ] && typing=yes
    CMD=(timeout "${fg[@]}" -k 2 "$secs") TYPIST_CMD=()
    if [ "$emu" = bochs ]; then
        write_bochsrc "$dir" "$5" "$typing"
        [ "$typing" = yes ] && typist_command bochs "$6" "$7"
        CMD+=("${ISOLATE[@]}" "${TYPIST_CMD[@]}" bochs -q -f bochsrc -rc bochs.cmds)
    else
        if [ "$typing" = yes ]; then
            typist_command qemu "$6" "$7"
            CMD+=("${TYPIST_CMD[@]}")
            # shellcheck disable=SC2054  # the commas belong to QEMU's options
            {
                com1=(-chardev socket,id=com1,path=com1.sock,server=on,wait=on
                      -serial chardev:com1)
                qmp=(-qmp unix:qmp.sock,server=on,wait=off)
            }
        fi
        # shellcheck disable=SC2054  # the commas belong to QEMU's options
        CMD+=(qemu-system-i386 -machine pc -m 64 -nic none -display none -no-reboot
              -boot a -drive file=floppy.img,if=floppy,format=raw
              -debugcon stdio "${com1[@]}" -monitor none "${qmp[@]}" -parallel none
              -device isa-debug-exit,iobase=0xf4,iosize=0x04 "${QEMU_CLOCK[@]}"
              -trace ps2_set_ledstate -D qemu-trace.txt)
    fi
}

# typist_command EMU CASE SHOTS: set TYPIST_CMD to a prefix for the emulator's command that
# starts the typist beside it (its messages to typist.log) and, once the emulator has exited,
# waits for the typist too, keeping the emulator's exit status. For Bochs the two share its
# network namespace, where the typist brings up the loopback device to reach COM1 and VNC.
typist_command() {
    # shellcheck disable=SC2016  # the script expands its own arguments
    local script='
        python=$0 typist=$1 emu=$2 case=$3 shots=$4
        shift 4
        "$python" "$typist" drive "$emu" . "$case" "$shots" > typist.log 2>&1 &
        "$@"
        rc=$?
        wait
        exit $rc'
    TYPIST_CMD=(sh -c "$script" "$PYTHON" "$TYPIST" "$1" "$2" "$3")
}

# console_filter EMU: stdin = the emulator's stdout, stdout = the guest's port E9 bytes.
# Bochs prints its banner and the debugger's first stop ("(0) [0x...fff0] ...") before the guest
# runs; when the simulation ends, the debugger reports where ("(0).[TICKS] [0x...] ..."), at the
# end of a line the guest may have left unfinished. An interrupted run adds prompts and the like.
console_filter() {
    if [ "$1" = qemu ]; then cat; return; fi
    sed -u -E \
        -e '0,/^\(0\) \[0x[0-9a-f]+\] /d' \
        -e '/^\(0\) \[0x[0-9a-f]+\] /d' \
        -e '/^<bochs:[0-9]+> /d' \
        -e '/^(fgets\(\) returned ERROR\.|debugger interrupt request was [0-9]+)$/d' \
        -e '/^(\(0\)\.\[[0-9]+\] \[0x|Next at t=[0-9]+$)/d' \
        -e 's/(\(0\)\.\[[0-9]+\] \[0x[0-9a-f]+\] |Next at t=[0-9]+$).*//'
}

# emu_message EMU DIR RC: how the emulator says the run ended, to explain a missing halt line.
emu_message() {
    local msg
    if [ "$1" = bochs ]; then
        msg=$(sed -n '/Bochs is exiting with the following message:/{n;p;q}' "$2/emu.txt")
        msg=${msg#\[*\] }                     # drop the device tag, e.g. "[CPU0  ] "
        case $msg in
            *'shutdown requested'*) echo "powered off" ;;
            *'3rd'*'exception with no resolution'*) echo "triple fault: $msg" ;;
            *) echo "$msg" ;;
        esac
    else
        case $3 in                            # QEMU says it by its exit status
            0) echo "triple fault or reset" ;;
            1) echo "powered off" ;;
            *) grep -v '^$' "$2/emu.txt" | tail -n 1 ;;
        esac
    fi
}

#==== Judging a boot ====

# normalise LOG OUT: the log's lines without trailing carriage returns and spaces.
normalise() {
    sed -E 's/[[:space:]]+$//' "$1" > "$2"
}

# boot_verdict NORM RC SECONDS: judge what every boot must satisfy. Sets VERDICT (ok, panic,
# reboot, timeout or nohalt), WHY (a sentence) and STATUS (from the halt line, if any).
boot_verdict() {
    local norm=$1 rc=$2 secs=$3 banners halt
    halt=$(grep -a -x -E "$HALT_RE" "$norm" | tail -n 1)
    STATUS=${halt##* }
    banners=$(grep -a -o -E "$BANNER_RE" "$norm" | wc -l)    # the machine's, not a guest's
    VERDICT=ok WHY=
    if grep -a -q -F "$PANIC" "$norm"; then
        VERDICT=panic WHY="panic: $(grep -a -m 1 -F "$PANIC" "$norm" | cut -c 1-70)"
    elif grep -a -q -F "$LEAK" "$norm"; then
        VERDICT=leak WHY="leak: $(grep -a -m 1 -F "$LEAK" "$norm" | cut -c 1-70)"
    elif [ "$banners" -gt 1 ]; then
        VERDICT=reboot WHY="second banner: the machine rebooted"
    elif [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
        VERDICT=timeout WHY="time-out after $secs s"
    elif [ -z "$halt" ]; then
        VERDICT=nohalt WHY="no halt line"
    fi
}

#==== Test cases ====

# parse_case FILE: read a .t file into C_* variables; on a bad line set C_ERROR. C_TYPING is
# yes for a case with a typist key (type, serial, after, screenshot, screen); typist.py reads
# those lines itself. `modes: N...` (misbehave modes, e.g. `modes: 2 4`) is read by cmd_test
# (case_modes): a pass without a mode of its own (bochs, qemu) runs the case once more under
# each mode N, reported as pass-mN (bochs-m2/NAME); a pass with a mode (bochs-m1) runs it once.
parse_case() {
    local line key value n=0
    C_RUN='' C_STATUS=0 C_TIMEOUT='' C_KERNEL=normal C_EMU='' C_ERROR='' C_PANIC=no C_TYPING=no
    C_EXPECT=() C_REJECT=() C_ADD=() C_PREPARE=() C_GUEST=yes C_COM1='' C_LEDS=''
    while IFS= read -r line || [ -n "$line" ]; do
        n=$((n + 1))
        line=${line%$'\r'}
        case $line in ''|'#'*) continue ;; esac
        key=${line%%:*}
        value=${line#*:}
        value=${value#"${value%%[! ]*}"}                 # drop the spaces after the colon
        case $key in
            run) C_RUN=$value ;;
            expect|expect-re) C_EXPECT+=("$key:$value") ;;
            reject) C_REJECT+=("$value") ;;
            status) C_STATUS=${value%% *} ;;
            timeout) C_TIMEOUT=${value%% *} ;;
            add) C_ADD+=("$ROOT/$value") ;;
            kernel) C_KERNEL=${value%% *} ;;
            prepare) C_PREPARE+=("$value") ;;
            emulator) C_EMU=${value%% *} ;;
            modes) [[ $value =~ ^[0-9]+( +[0-9]+)*\ *$ ]] || C_ERROR="bad modes '$value'" ;;
            panic) C_PANIC=${value%% *} ;;
            guest) C_GUEST=${value%% *} ;;
            com1) C_COM1=${value%% *} ;;
            leds) C_LEDS=$value ;;
            type|serial|after|screenshot|screen) C_TYPING=yes ;;
            *) C_ERROR="line $n: unknown key '$key'"; return ;;
        esac
    done < "$1"
    if [ -z "$C_TIMEOUT" ]; then
        C_TIMEOUT=$TEST_TIMEOUT
        [ "$C_TYPING" = yes ] && C_TIMEOUT=$TYPE_TIMEOUT
    fi
    [[ $C_TIMEOUT =~ ^[0-9]+$ ]] || C_ERROR="bad timeout '$C_TIMEOUT'"
    [[ $C_STATUS =~ ^-?[0-9]+$ ]] || C_ERROR="bad status '$C_STATUS'"
    case $C_KERNEL in normal|selftest) ;; *) C_ERROR="bad kernel '$C_KERNEL'" ;; esac
    case $C_EMU in ""|bochs|qemu) ;; *) C_ERROR="bad emulator '$C_EMU'" ;; esac
    case $C_PANIC in no|expected) ;; *) C_ERROR="bad panic '$C_PANIC'" ;; esac
    case $C_GUEST in yes|no) ;; *) C_ERROR="bad guest '$C_GUEST'" ;; esac
    case $C_COM1 in ''|same) ;; *) C_ERROR="bad com1 '$C_COM1'" ;; esac
    [ "$C_COM1:$C_TYPING" != same:yes ] || C_ERROR="com1: same is for cases that do not type"
    [[ $C_LEDS =~ ^([0-9]+( +[0-9]+)*\ *)?$ ]] || C_ERROR="bad leds '$C_LEDS'"
    [ "$GUEST_RUN" = yes ] && C_TIMEOUT=$((C_TIMEOUT * GUEST_SLOWDOWN))
}

# find_expected NORM: check the expect/expect-re lines in order; print the first one missing.
find_expected() {
    local norm=$1 pos=0 e kind text n
    for e in "${C_EXPECT[@]}"; do
        kind=${e%%:*}
        text=${e#*:}
        text=${text%"${text##*[! ]}"}                    # trailing spaces are ignored
        if [ "$kind" = expect ]; then
            n=$(tail -n +$((pos + 1)) "$norm" | grep -a -n -m 1 -x -F -e "$text")
        else
            n=$(tail -n +$((pos + 1)) "$norm" | grep -a -n -m 1 -x -E -e "$text")
            [ $? = 2 ] && { echo "bad regex: $text"; return; }
        fi
        [ -n "$n" ] || { missing_line "$norm" "$kind" "$text" | cut -c 1-90; return; }
        pos=$((pos + ${n%%:*}))
    done
}

# missing_line NORM KIND TEXT: say what is wrong about an expected line that was not found.
missing_line() {
    local how=-F
    [ "$2" = expect-re ] && how=-E
    if grep -a -q -x "$how" -e "$3" "$1"; then echo "line out of order: $3"
    elif [ "$2" = expect ]; then echo "missing line: $3"
    else echo "no line matches: $3"; fi
}

# typist_verdict DIR: why the typist of a run stopped short, from the last line of its
# progress file (DIR/typist.txt: "done", "waiting for: TEXT", "never saw: TEXT", "error: ..."),
# or nothing if it did all it had to.
typist_verdict() {
    local last
    [ -f "$1/typist.txt" ] || { echo "typist did not start (see typist.log)"; return; }
    last=$(tail -n 1 "$1/typist.txt" | sed -E 's/^ *[0-9.]+ //')
    case $last in
        done*) ;;
        'waiting for: '*) echo "never saw: ${last#waiting for: }" | cut -c 1-90 ;;
        'never saw: '*) echo "$last" | cut -c 1-90 ;;
        'error: '*) echo "typist: ${last#error: }" | cut -c 1-90 ;;
        *) echo "typist stopped at: $last" | cut -c 1-90 ;;
    esac
}

# expectations NORM LOG DIR: the first expectation the output misses, or nothing: the expect
# lines here, or for a typing case everything typist.py checks (in the log and on its screens).
expectations() {
    if [ "$C_TYPING" = yes ]; then
        "$PYTHON" "$TYPIST" check "$CASE_FILE" "$2" "$SHOTS"
    else
        find_expected "$1"
    fi
}

# case_verdict NORM RC LOG DIR: set WHY to the first reason the case failed, or empty if it
# passed. (LOG is the console log before normalise, DIR the case's work folder.)
case_verdict() {
    local norm=$1 r
    boot_verdict "$norm" "$2" "$C_TIMEOUT"
    if [ "$C_PANIC" = expected ]; then          # the panic-report test: a panic is the pass
        [ "$VERDICT" = panic ] || { WHY="no kernel panic${WHY:+ ($WHY)}"; return; }
        WHY=$(expectations "$norm" "$3" "$4")
        return
    fi
    if [ "$C_TYPING" = yes ] && [ "$VERDICT" != panic ]; then
        r=$(typist_verdict "$4")
        [ -n "$r" ] && { WHY=$r; return; }
    fi
    [ -n "$WHY" ] && return
    WHY=$(expectations "$norm" "$3" "$4")
    [ -n "$WHY" ] && return
    for r in "${C_REJECT[@]}"; do
        grep -a -q -F -e "$r" "$norm" && { WHY="rejected text found: $r"; return; }
    done
    [ "$STATUS" = "$C_STATUS" ] || WHY="status $STATUS, expected $C_STATUS"
    [ -n "$WHY" ] || [ "$C_COM1" != same ] || [ "$GUEST_RUN" = yes ] || WHY=$(com1_verdict "$4")
    [ -n "$WHY" ] || [ -z "$C_LEDS" ] || [ "$CASE_EMU" != qemu ] || WHY=$(leds_verdict "$4")
}

# leds_verdict DIR: whether the LED states QEMU's keyboard was set to (its trace in
# DIR/qemu-trace.txt) include the case's `leds:` states in order, and end with the last of
# them; why not, if not. (The states in between may differ: two quick changes can merge.)
leds_verdict() {
    local seen want i=0 s
    read -r -a want <<< "$C_LEDS"
    mapfile -t seen < <(sed -n -E 's/.*ps2_set_ledstate .* ledstate ([0-9]+)$/\1/p' \
        "$1/qemu-trace.txt" 2>/dev/null)
    for s in "${seen[@]}"; do
        [ "$i" -lt "${#want[@]}" ] && [ "$s" = "${want[$i]}" ] && i=$((i + 1))
    done
    [ "$i" -eq "${#want[@]}" ] && [ "${seen[*]: -1}" = "${want[*]: -1}" ] && return
    echo "keyboard LEDs set to: ${seen[*]:-nothing}; wanted ${want[*]}" | cut -c 1-90
}

# com1_verdict DIR: whether COM1 (DIR/com1.txt) carried exactly the console's output (the
# normalised DIR/norm.txt); the first line that differs, if not.
com1_verdict() {
    normalise "$1/com1.txt" "$1/com1-norm.txt"
    cmp -s "$1/com1-norm.txt" "$1/norm.txt" && return
    diff "$1/norm.txt" "$1/com1-norm.txt" | grep -a -m 1 '^[<>]' |
        sed 's/^</COM1 lacks:/; s/^>/COM1 has more:/' | cut -c 1-90
}

# prepare_case DIR EMU: make DIR/floppy.img for the parsed case and run its prepare: lines.
prepare_case() {
    local dir=$1 cmd bad
    [ -z "$C_ERROR" ] || { echo "bad case: $C_ERROR"; return 1; }
    if [ "$C_TYPING" = yes ]; then
        bad=$("$PYTHON" "$TYPIST" lint "$CASE_FILE" 2>&1) ||
            { echo "bad case: ${bad:-typist.py lint failed}" | head -n 1; return 1; }
        [ "$2" = qemu ] || [ ${#ISOLATE[@]} -gt 0 ] ||
            { echo "typing into Bochs needs a network namespace (unshare -n)"; return 1; }
    fi
    make_image "$dir" "$C_KERNEL" "${MISBEHAVE:+-m $MISBEHAVE }${C_RUN:-$NAME}" "${C_ADD[@]}" ||
        return 1
    for cmd in "${C_PREPARE[@]}"; do
        (cd "$ROOT" && IMG=$dir/floppy.img bash -c "$cmd") >> "$dir/prepare.txt" 2>&1 ||
            { echo "prepare failed: $cmd" | cut -c 1-80; return 1; }
    done
}

# boot_case EMU DIR LOG: boot the scratch image, the emulator in the background so that an
# interrupted harness can stop it by its pid; with the typist if the case types. Returns
# timeout's status.
boot_case() {
    local emu=$1 dir=$2 log=$3 rc typist=()
    [ "$C_TYPING" = yes ] && typist=("$CASE_FILE" "$SHOTS")
    emu_command "$emu" "$dir" "$C_TIMEOUT" no "$C_KERNEL" "${typist[@]}"
    [ "$emu" = bochs ] && wait_start_turn
    (cd "$dir" && exec "${CMD[@]}" < /dev/null > raw.txt 2> emu.txt) &
    echo $! > "$dir/pid"
    wait $!
    rc=$?
    rm -f "$dir/pid"
    console_filter "$emu" < "$dir/raw.txt" > "$log"
    return $rc
}

# vnc_lost EMU DIR: whether a typing run's Bochs broke its VNC link with the typist before the
# kernel could be judged (about one Bochs typing run in a hundred: Bochs reports "error
# receiving data" and stops). Then nothing was tested, and the case boots once more.
vnc_lost() {
    [ "$1" = bochs ] && grep -q 'RFB.*error receiving data' "$2/bochs.log" 2>/dev/null
}

# run_case CONFIG FILE: one test from start to verdict; prints its line and records the result.
# CONFIG is an emulator, then -guest to run the case inside the guest, then a misbehave mode:
# bochs, qemu-m7, qemu-guest, bochs-guest-m1.
run_case() {
    local config=$1 emu=${1%%-*} rest start=$EPOCHREALTIME dir log rc=0 secs msg
    rest=${config#"$emu"}
    [[ $rest == -guest* ]] && GUEST_RUN=yes rest=${rest#-guest} && export PEBBLES_GUEST=1
    [ -z "$rest" ] || MISBEHAVE=${rest#-m}
    NAME=$(basename "$2" .t)
    CASE_FILE=$2
    CASE_EMU=$emu
    SHOTS=$LOGS/$config                     # where a typing case's screenshots go
    dir=$WORK/$config/$NAME
    log=$LOGS/$config/$NAME.log
    rm -rf "$dir" && mkdir -p "$dir" "$LOGS/$config" && : > "$log"
    parse_case "$2"
    if WHY=$(prepare_case "$dir" "$emu"); then
        boot_case "$emu" "$dir" "$log"
        rc=$?
        if [ "$C_TYPING" = yes ] && vnc_lost "$emu" "$dir"; then
            echo "harness: $config/$NAME: Bochs lost the typist's VNC link; booting again" >&2
            boot_case "$emu" "$dir" "$log"
            rc=$?
        fi
        normalise "$log" "$dir/norm.txt"
        case_verdict "$dir/norm.txt" "$rc" "$log" "$dir"
        if [ -n "$WHY" ] && [ "$C_TYPING" = yes ] && [ "$emu" = bochs ]; then
            echo "harness: $config/$NAME: $WHY; Bochs's VNC may have lost a key" \
                "(README, Typing tests): booting once more; the first log is $NAME.first.log" |
                cut -c 1-200 >&2
            mv "$log" "${log%.log}.first.log"
            boot_case "$emu" "$dir" "$log"
            rc=$?
            normalise "$log" "$dir/norm.txt"
            case_verdict "$dir/norm.txt" "$rc" "$log" "$dir"
        fi
        [ "$VERDICT" = nohalt ] && msg=$(emu_message "$emu" "$dir" "$rc") &&
            [ -n "$msg" ] && WHY="$WHY ($emu: $(echo "$msg" | cut -c 1-60))"
    fi
    secs=$(elapsed "$start")
    if [ -z "$WHY" ]; then
        printf '%-40s PASS %6ss\n' "$config/$NAME" "$secs"
        echo PASS > "$RESULTS/$config.$NAME"
        rm -rf "$dir"
    else
        printf '%-40s FAIL %6ss  %s (log: %s)\n' "$config/$NAME" "$secs" "$WHY" \
            "${log#"$ROOT"/}"
        echo FAIL > "$RESULTS/$config.$NAME"
    fi
}

# elapsed START: seconds since START (an $EPOCHREALTIME), with one decimal.
elapsed() {
    local now=${EPOCHREALTIME/[.,]/} then=${1/[.,]/} d
    d=$(( (now - then) / 100000 ))
    echo "$((d / 10)).$((d % 10))"
}

#==== The test command ====

# case_emulator FILE: the emulator a case is restricted to, or nothing.
case_emulator() {
    sed -n -E 's/^emulator:[[:space:]]*([a-z]+).*/\1/p' "$1" | tail -n 1
}

# case_in_guest FILE: whether the case can run inside the guest: not one for the self-test
# kernel, nor one marked `guest: no` (it runs guests itself, or needs the bare machine).
case_in_guest() {
    ! grep -q -E '^(kernel:[[:space:]]*selftest|guest:[[:space:]]*no)' "$1"
}

# case_modes FILE: the misbehave modes of the case's `modes:` line, or nothing.
case_modes() {
    sed -n -E 's/^modes:[[:space:]]*//p' "$1" | tail -n 1
}

# select_cases GLOB...: print the case files whose names match a glob (all without globs).
select_cases() {
    local f name g hit
    declare -A used=()
    for f in "$CASES"/*.t; do
        [ -e "$f" ] || continue
        name=$(basename "$f" .t)
        hit=$([ $# = 0 ] && echo yes)
        for g in "$@"; do
            # shellcheck disable=SC2053  # the glob is meant to match as a pattern
            [[ $name == $g ]] && hit=yes used[$g]=1
        done
        [ -n "$hit" ] && echo "$f"
    done
    for g in "$@"; do
        [ -n "${used[$g]:-}" ] || { echo "harness: no test case matches '$g'" >&2; return 1; }
    done
}

# stop_all: on Ctrl-C or TERM, end the running emulators (by the pids they recorded) and leave.
stop_all() {
    local f
    trap - INT TERM
    jobs -p | xargs -r kill 2>/dev/null         # the test jobs, then their emulators
    for f in "$WORK"/*/*/pid; do
        [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null
    done
    wait
    rm -rf "$RESULTS"
    echo "harness: interrupted" >&2
    exit 130
}

cmd_test() {
    local emus=() njobs cases=() list f e c m cm configs mode='' running=0 pass fail whole=no
    local guest=no
    njobs=$(nproc 2>/dev/null || echo 2)
    while [ $# -gt 0 ]; do
        case $1 in
            --bochs) emus+=(bochs) ;;
            --qemu) emus+=(qemu) ;;
            --both) emus+=(bochs qemu) ;;
            --jobs|-j) [[ ${2:-} =~ ^[1-9][0-9]*$ ]] || usage; njobs=$2; shift ;;
            --misbehave) [[ ${2:-} =~ ^[0-9]+$ ]] || usage; mode=$2; shift ;;
            --guest) guest=yes ;;
            -h|--help) usage 0 ;;
            --) shift; break ;;
            -*) usage ;;
            *) break ;;
        esac
        shift
    done
    if [ ${#emus[@]} = 0 ] && [ -z "$mode" ] && [ $guest = no ]; then
        emus=("${FULL_SUITE[@]}")
        [ $# -gt 0 ] || whole=yes
    else
        [ ${#emus[@]} -gt 0 ] || emus=(bochs qemu)
        [ $guest = yes ] && guest=-guest || guest=''
        mapfile -t emus < <(printf "%s$guest${mode:+-m$mode}\n" "${emus[@]}" | sort -u)
    fi
    [ -f "$BUILD/floppy.img" ] || die "build/floppy.img missing: run ./build.sh first"
    list=$(select_cases "$@") || exit 2
    [ -n "$list" ] && mapfile -t cases <<< "$list"
    pick_isolation
    RESULTS=$(mktemp -d) || die "cannot make a temporary folder"
    trap stop_all INT TERM
    # The whole suite starts with tests/build_check.sh (is the build incremental?), alone as
    # it times builds. It prints its own result line; its result counts like a case's.
    if [ "$whole" = yes ] && [ -x "$ROOT/tests/build_check.sh" ]; then
        f=FAIL
        "$ROOT/tests/build_check.sh" && f=PASS
        echo "$f" > "$RESULTS/build.incremental"
    fi
    # The whole suite: also GUEST_SUITE inside the guest, in both emulators.
    [ "$whole" = yes ] && emus+=(bochs-guest qemu-guest)
    for c in "${emus[@]}"; do
        e=${c%%-*}
        for f in "${cases[@]}"; do
            case $(case_emulator "$f") in
                ''|"$e") ;;
                *) printf '%-40s skip (%s only)\n' "$c/$(basename "$f" .t)" \
                       "$(case_emulator "$f")"; continue ;;
            esac
            if [[ $c == *-guest* ]]; then
                [ "$whole" = no ] || [[ " ${GUEST_SUITE[*]} " == *" $(basename "$f" .t) "* ]] ||
                    continue
                if ! case_in_guest "$f"; then
                    printf '%-40s skip (not in a guest)\n' "$c/$(basename "$f" .t)"
                    continue
                fi
            fi
            configs=("$c")
            [ "$c" = "$e" ] && for m in $(case_modes "$f"); do configs+=("$c-m$m"); done
            for cm in "${configs[@]}"; do
                if [ "$running" -ge "$njobs" ]; then wait -n; running=$((running - 1)); fi
                run_case "$cm" "$f" &
                running=$((running + 1))
            done
        done
    done
    wait
    pass=$(grep -l -x PASS "$RESULTS"/* 2>/dev/null | wc -l)
    fail=$(grep -l -x FAIL "$RESULTS"/* 2>/dev/null | wc -l)
    rm -rf "$RESULTS"
    echo "$pass passed, $fail failed"
    [ "$fail" = 0 ]
}

#==== The run command ====

# run_exit_code: the exit status of `run` for the last boot_verdict.
run_exit_code() {
    case $VERDICT in
        panic) echo 250 ;;
        timeout) echo 251 ;;
        reboot) echo 252 ;;
        nohalt) echo 253 ;;
        *) echo $((STATUS & 255)) ;;
    esac
}

# bootargs_line WORD...: the words as one bootargs line that the kernel splits back into
# exactly these words: a word with anything but plain characters goes in double quotes, with
# its backslashes and double quotes escaped (kernel.c bootargs_word reads it so).
bootargs_line() {
    local w line=()
    for w in "$@"; do
        if [[ $w =~ ^[A-Za-z0-9_./,:=+@%-]+$ ]]; then
            line+=("$w")
        else
            w=${w//\\/\\\\}
            line+=("\"${w//\"/\\\"}\"")
        fi
    done
    echo "${line[*]}"
}

cmd_run() {
    local emu=bochs adds=() secs=$RUN_TIMEOUT kernel=normal dir rc msg interrupted=''
    while [ $# -gt 0 ]; do
        case $1 in
            --bochs) emu=bochs ;;
            --qemu) emu=qemu ;;
            --add) [ $# -ge 2 ] || usage; adds+=("$(realpath "$2")"); shift ;;
            --timeout) [[ ${2:-} =~ ^[1-9][0-9]*$ ]] || usage; secs=$2; shift ;;
            --selftest) kernel=selftest ;;
            --guest) GUEST_RUN=yes ;;
            -h|--help) usage 0 ;;
            --) shift; break ;;
            -*) usage ;;
            *) break ;;
        esac
        shift
    done
    [ $# -gt 0 ] || usage
    [ -f "$BUILD/floppy.img" ] || die "build/floppy.img missing: run ./build.sh first"
    RUN_DIR=$(mktemp -d) || die "cannot make a temporary folder"
    trap 'rm -rf "$RUN_DIR"' EXIT
    dir=$RUN_DIR
    msg=$(make_image "$dir" "$kernel" "$(bootargs_line "$@")" "${adds[@]}") || die "$msg"
    pick_isolation
    emu_command "$emu" "$dir" "$secs" yes "$kernel"
    [ "$emu" = bochs ] && wait_start_turn
    trap 'interrupted=yes' INT                # Ctrl-C reaches the emulator too; then we stop
    (cd "$dir" && exec "${CMD[@]}" < /dev/null 2> emu.txt) | console_filter "$emu" |
        tee "$dir/console.txt"
    rc=${PIPESTATUS[0]}
    [ -z "$interrupted" ] || { echo "run: interrupted" >&2; exit 130; }
    normalise "$dir/console.txt" "$dir/norm.txt"
    boot_verdict "$dir/norm.txt" "$rc" "$secs"
    [ "$VERDICT" = nohalt ] && msg=$(emu_message "$emu" "$dir" "$rc") && WHY+=" ($emu: $msg)"
    [ -n "$WHY" ] && echo "run: $WHY" >&2
    exit "$(run_exit_code)"
}

case ${1:-} in
    test) shift; cmd_test "$@" ;;
    run) shift; cmd_run "$@" ;;
    -h|--help) usage 0 ;;
    *) usage ;;
esac
