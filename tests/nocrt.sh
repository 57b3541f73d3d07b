#!/usr/bin/env bash
# tests/nocrt.sh PROG OUT: links build/user/PROG.o without crt0 (entry point main) into OUT,
# for tests that must see a process exactly as exec leaves it (crt0 installs a swexn handler).
set -eu
cd "$(dirname "$0")/.."
ld -m elf_i386 -static -n -T user/user.ld -e main -o "$2" "build/user/$1.o" build/user/libpebbles.a
