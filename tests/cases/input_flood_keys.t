# The keyboard types 612 keys ("1 2 3 ... 180 "),
# while nobody reads console 1 (its task waits for a gate child: keyin.h): the ring keeps
# exactly the first 256 characters (input_flood checks each), the kernel says in the debug log
# how many it dropped, and input works afterwards; nothing leaks (init's check).
# Up to 3 keys that Bochs drops on the way (its keyboard buffer is 16 bytes, and the typist
# cannot tell when the guest has read them) are allowed for; the COM1 case is exact.
# Made by: python3 tests/data/mkflood.py keys 180
run: input_flood keys 180
timeout: 120
expect: input_flood: console 2 waits for go
type: {alt-f1}k
expect: input_flood: console 1 is in front, flood it
type: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32 33\s
type: 34 35 36 37 38 39 40 41 42 43 44 45 46 47 48 49 50 51 52 53 54 55 56 57 58 59 60 61 62 63\s
type: 64 65 66 67 68 69 70 71 72 73 74 75 76 77 78 79 80 81 82 83 84 85 86 87 88 89 90 91 92 93\s
type: 94 95 96 97 98 99 100 101 102 103 104 105 106 107 108 109 110 111 112 113 114 115 116 117\s
type: 118 119 120 121 122 123 124 125 126 127 128 129 130 131 132 133 134 135 136 137 138 139 140\s
type: 141 142 143 144 145 146 147 148 149 150 151 152 153 154 155 156 157 158 159 160 161 162 163\s
type: 164 165 166 167 168 169 170 171 172 173 174 175 176 177 178 179 180\s
type: {alt-f2}go\n
expect: go
expect: input_flood: reading now
expect-re: kernel: console 1: input full, (353|354|355|356) characters dropped
expect: input_flood: kept the first 256, type one more line
type: after\n
expect: after
expect: input_flood: ok
reject: FAILED
# Inside a guest, typed characters first wait in the hypervisor's queue of 64 key events,
# which a flood overruns before the guest's own ring is reached: a test of the bare machine.
guest: no
