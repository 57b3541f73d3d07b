# sleep(0), sleep(<0), get_ticks monotonic; 20 threads sleep distinct lengths: in order, not early.
run: sleep_test
expect: sleep_test: ok
reject: sleep_test: FAILED
reject: init: frames leaked
reject: kernel: killed
status: 0
timeout: 40
