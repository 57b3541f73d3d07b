# The image is loaded right: big .data/.rodata/.text, zeroed .bss.
run: bss_data_test
expect: bss_data_test: ok
reject: bss_data_test: FAILED
status: 0
