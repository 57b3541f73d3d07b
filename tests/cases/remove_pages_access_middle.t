# After remove_pages the region is unmapped: reading its middle page kills the task (status -2).
run: remove_pages_access middle
expect: remove_pages_access: ok
expect: remove_pages_access: touching the removed region (middle)
expect-re: kernel: killed.*cr2 0x20001800.*
reject: remove_pages_access: FAILED
status: -2
reject: init: frames leaked
