# new_pages until -5 (1 MiB regions, then pages); meanwhile fork and exec fail with -5 (we run
# on) and every promised page works; after remove_pages the memory is usable again; init finds
# no frame lost.
run: mem_exhaust
expect-re: mem_exhaust: [0-9]+ MiB in 1 MiB regions, then new_pages returned -5
expect-re: mem_exhaust: [0-9]+ more single pages, then new_pages returned -5
expect: mem_exhaust: while exhausted: fork, exec and new_pages fail, held pages work
expect-re: mem_exhaust: after remove_pages: [0-9]+ KiB in one region and fork work again
expect: mem_exhaust: ok
reject: FAILED
reject: kernel: killed
reject: init: frames leaked
status: 0
timeout: 60
