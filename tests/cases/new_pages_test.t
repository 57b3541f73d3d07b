# new_pages/remove_pages: every bad argument gives -2, too much memory -5 with nothing left
# mapped; good regions work, neighbours included; remove_pages only at a region's base.
run: new_pages_test
expect: new_pages_test: bad base/len refused
expect: new_pages_test: kernel, image, stack and wrap-around refused
expect: new_pages_test: overlaps refused, neighbours allowed
expect: new_pages_test: too much memory: -5, nothing left mapped
expect: new_pages_test: remove_pages only at a base; ranges reusable
expect: new_pages_test: ok
reject: FAILED
reject: kernel: killed
reject: init: frames leaked
status: 0
