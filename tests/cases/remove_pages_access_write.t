# After remove_pages the region is unmapped: writing its last word kills the task (status -2).
run: remove_pages_access write
expect: remove_pages_access: ok
expect: remove_pages_access: touching the removed region (write)
expect-re: kernel: killed.*cr2 0x20002ffc.*
reject: remove_pages_access: FAILED
status: -2
reject: init: frames leaked
