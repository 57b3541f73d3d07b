# Virtual consoles on the screen: new_console moves a task (both threads) to console 2 in
# front, a task forked there stays there; Alt+F1/F2 switch, keys go to the front; output to a
# background console is kept; when console 2's last task ends, console 1 comes back.
run: console_switch
expect: console_switch: P writes on console 1
expect: console_switch: console 2 ready
screenshot: console_switch_2
screen: console_switch: C's second thread writes on console 2
screen: console_switch: the grandchild writes on console 2
screen: console_switch: console 2 ready
type: {alt-f1}go\n
expect: console_switch: written while in the background
screenshot: console_switch_1
screen: console_switch: P writes on console 1
screen: go
type: {alt-f2}bye\n
expect: console_switch: console 2 read bye
screenshot: console_switch_2_again
screen: console_switch: console 2 ready
screen: console_switch: written while in the background
screen: bye
type: end\n
expect: console_switch: console 2 is gone
screenshot: console_switch_1_again
screen: console_switch: P writes on console 1
screen: console_switch: console 2 is gone
type: done\n
expect: console_switch: ok
reject: FAILED
