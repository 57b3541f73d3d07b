# malloc/calloc/realloc/free over new_pages. Needs new_pages.
run: malloc_test
expect: malloc_test: ok
reject: malloc_test: FAILED
status: 0
