# No LDT: LAR of LDT selectors finds nothing and never faults (the LDT register was once left
# at its reset value, so the CPU read descriptors from page 0 and the windows onto other
# tasks' frames; found by the guest_churn work).
run: ldt_null
expect: ldt_null: 0 LDT selectors named a descriptor
reject: kernel: killed
status: 0
