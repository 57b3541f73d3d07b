# colors draws the 16x16 attribute table with hex labels.
run: colors
expect-re: bg.fg +0 +1 +2 .* F
expect-re: [ ]+F +F0 +F1 .* FF
status: 0
