# After remove_pages the region is unmapped: reading its first word kills the task (status -2).
run: remove_pages_access
expect: remove_pages_access: ok
expect: remove_pages_access: touching the removed region (read)
expect-re: kernel: killed.*cr2 0x20000000.*
reject: remove_pages_access: FAILED
status: -2
reject: init: frames leaked
