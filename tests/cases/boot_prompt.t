# The boot's length is logged, in cycles from the boot sector's first instruction and in
# emulated milliseconds: to init, and to the shell's first prompt (its first read of the keys,
# logged at the halt), which is what a person waits for. `./build.sh bench` reports both.
run: -m 0
expect-re: kernel: boot took [0-9]+ cycles \(([1-9][0-9]*|under [0-9]+) ms\), from .* to init
expect: Pebbles shell: type help for the commands and programs.
type: halt\n
expect-re: kernel: boot took [0-9]+ cycles \(([1-9][0-9]*|under [0-9]+) ms\), .* first prompt
status: 0
# A guest's kernel does not log its boot: the machine's boot is the one a person waits for.
guest: no
