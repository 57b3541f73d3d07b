# clock redraws the time since boot in place (a '\r' before each redraw) for N seconds.
run: clock 2
expect-re: (.time since boot: [0-9]+:[0-9]{2}:[0-9]{2}){3}
status: 0
