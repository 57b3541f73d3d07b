# Twenty children write copy-on-write pages at the same moment: the copies take two mapping
# windows at once, so they cannot deadlock each holding one.
run: cow_many
expect: cow_many: 20 children done
timeout: 40
