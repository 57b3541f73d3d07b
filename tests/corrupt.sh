#!/usr/bin/env bash
# tests/corrupt.sh MODE FILE IMG [VALUE]: damage the FAT12 records of FILE (in the root folder of
# the floppy image IMG) so a test can check that the kernel reports an error instead of
# crashing or looping. For `prepare:` lines of test cases: prepare: tests/corrupt.sh fat-loop
# hello.txt $IMG. Modes (VALUE replaces the default number written):
#   fat-loop       FILE's last cluster points back to its first: the chain never ends.
#   cluster-range  FILE's first FAT entry points past the last cluster (default: last + 1).
#   dir-size       the directory entry claims one byte more than the chain can hold.
#   dir-cluster    the directory entry's first cluster is past the last one (default: last + 1).
#   dir-self       FILE is a sub-folder: every entry in it becomes a folder that is FILE
#                  itself, so it lists itself k times at every level (k^depth visits).
# Both FAT copies are patched. The layout is read from the image's boot sector (BPB).
set -eu
export LC_ALL=C MTOOLS_SKIP_CHECK=1

die() { echo "corrupt: $*" >&2; exit 1; }

# read_le OFFSET COUNT: the unsigned little-endian number at byte OFFSET of the image.
read_le() {
    od -An -v -tu1 -j "$1" -N "$2" "$IMG" |
        awk '{ for (i = 1; i <= NF; i++) b[n++] = $i }
             END { for (i = n - 1; i >= 0; i--) v = v * 256 + b[i]; print v + 0 }'
}

# write_le OFFSET COUNT VALUE: store VALUE as COUNT little-endian bytes at byte OFFSET.
write_le() {
    local i bytes=
    for ((i = 0; i < $2; i++)); do
        bytes+=$(printf '\\0%03o' $(( ($3 >> (8 * i)) & 255 )))    # %b reads \0NNN as octal
    done
    printf '%b' "$bytes" | dd of="$IMG" bs=1 seek="$1" conv=notrunc status=none
}

# read_bpb: the geometry fields of the boot sector (offsets from the FAT specification).
read_bpb() {
    BPS=$(read_le 11 2)                  # bytes per sector
    SPC=$(read_le 13 1)                  # sectors per cluster
    RESERVED=$(read_le 14 2)             # sectors before the first FAT
    NFATS=$(read_le 16 1)                # copies of the FAT
    ROOT_ENTRIES=$(read_le 17 2)         # 32-byte entries in the root folder
    TOTAL=$(read_le 19 2)                # sectors on the disk (0: the 32-bit field says)
    [ "$TOTAL" != 0 ] || TOTAL=$(read_le 32 4)
    SPF=$(read_le 22 2)                  # sectors per FAT
    if [ "$BPS" = 0 ] || [ "$SPC" = 0 ]; then die "$IMG: no FAT boot sector"; fi
    ROOT_START=$(( (RESERVED + NFATS * SPF) * BPS ))
    local root_sectors=$(( (ROOT_ENTRIES * 32 + BPS - 1) / BPS ))
    DATA=$(( RESERVED + NFATS * SPF + root_sectors ))    # first sector of cluster 2
    LAST=$(( (TOTAL - DATA) / SPC + 1 ))  # clusters are numbered from 2
    [ "$LAST" -lt 4086 ] || die "$IMG: not FAT12"
}

# fat_get N: FAT entry N (12 bits: even entries take the low bits of their 16-bit word).
fat_get() {
    local w
    w=$(read_le $(( RESERVED * BPS + $1 * 3 / 2 )) 2)
    if (( $1 % 2 )); then echo $(( w >> 4 )); else echo $(( w & 0xFFF )); fi
}

# fat_set N VALUE: set FAT entry N in every copy of the FAT, keeping the neighbour's 4 bits.
fat_set() {
    local k off w
    for ((k = 0; k < NFATS; k++)); do
        off=$(( (RESERVED + k * SPF) * BPS + $1 * 3 / 2 ))
        w=$(read_le "$off" 2)
        if (( $1 % 2 )); then w=$(( (w & 0x000F) | ($2 << 4) ))
        else w=$(( (w & 0xF000) | $2 )); fi
        write_le "$off" 2 "$w"
    done
}

# read_chain: CHAIN = FILE's clusters in order, as mshowfat lists them ("<5-7> <12>").
read_chain() {
    local range
    CHAIN=()
    for range in $(mshowfat -i "$IMG" "::$FILE" | grep -o '<[0-9]*\(-[0-9]*\)\?>' | tr -d '<>'); do
        mapfile -t -O ${#CHAIN[@]} CHAIN < <(seq "${range%-*}" "${range#*-}")
    done
    [ ${#CHAIN[@]} -gt 0 ] || die "$FILE: no clusters on $IMG (missing or empty file)"
}

# find_entry: ENTRY = byte offset of FILE's short entry in the root folder, found by its first
# cluster (long names make the 8.3 name unpredictable); skips free and long-name entries.
find_entry() {
    local index
    index=$(od -An -v -tu1 -j "$ROOT_START" -N $((ROOT_ENTRIES * 32)) "$IMG" |
        awk -v first="${CHAIN[0]}" '
            { for (i = 1; i <= NF; i++) b[n++] = $i }
            END { for (e = 0; e * 32 < n; e++) {
                      o = e * 32
                      if (b[o] == 0 || b[o] == 229 || b[o + 11] == 15) continue
                      if (b[o + 26] + 256 * b[o + 27] == first) { print e; exit } } }')
    [ -n "$index" ] || die "$FILE: no root folder entry with first cluster ${CHAIN[0]}"
    ENTRY=$(( ROOT_START + index * 32 ))
}

# point_entries_at CLUSTER DIR_CLUSTER: every used short entry of CLUSTER (but . and ..)
# becomes a folder whose first cluster is DIR_CLUSTER; counts them in N.
point_entries_at() {
    local base=$(( (DATA + ($1 - 2) * SPC) * BPS )) e o attr first
    for ((e = 0; e < SPC * BPS / 32; e++)); do
        o=$(( base + e * 32 ))
        first=$(read_le "$o" 1)
        attr=$(read_le $((o + 11)) 1)
        [ "$first" = 0 ] && break
        if [ "$first" = 229 ] || [ "$first" = 46 ] || [ "$attr" = 15 ]; then continue; fi
        write_le $((o + 11)) 1 16
        write_le $((o + 26)) 2 "$2"
        N=$((N + 1))
    done
}

if [ $# -lt 3 ] || [ $# -gt 4 ]; then sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; fi
MODE=$1 FILE=$2 IMG=$3 VALUE=${4:-}
case $MODE in fat-loop|cluster-range|dir-size|dir-cluster|dir-self) ;;
    *) die "unknown mode $MODE" ;;
esac
[ -f "$IMG" ] || die "no image $IMG"
read_bpb
read_chain
first=${CHAIN[0]}
last=${CHAIN[-1]}
hex() { printf '%#x' "$1"; }
case $MODE in
    fat-loop)
        echo "corrupt: $FILE: FAT[$last] = $first (was $(hex "$(fat_get "$last")")): a loop"
        fat_set "$last" "$first" ;;
    cluster-range)
        new=$(( ${VALUE:-$((LAST + 1))} ))
        echo "corrupt: $FILE: FAT[$first] = $(hex "$new") (was $(hex "$(fat_get "$first")")," \
             "last cluster $(hex "$LAST"))"
        fat_set "$first" "$new" ;;
    dir-size)
        find_entry
        new=$(( ${VALUE:-$(( ${#CHAIN[@]} * SPC * BPS + 1 ))} ))
        echo "corrupt: $FILE: size = $new (was $(read_le $((ENTRY + 28)) 4))"
        write_le $((ENTRY + 28)) 4 "$new" ;;
    dir-cluster)
        find_entry
        new=$(( ${VALUE:-$((LAST + 1))} ))
        echo "corrupt: $FILE: first cluster = $(hex "$new") (was $first," \
             "last cluster $(hex "$LAST"))"
        write_le $((ENTRY + 26)) 2 "$new" ;;
    dir-self)
        N=0
        for c in "${CHAIN[@]}"; do point_entries_at "$c" "$first"; done
        echo "corrupt: $FILE: its $N entries now all name $FILE itself" ;;
esac
