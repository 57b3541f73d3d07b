# mandelbrot draws 23 rows and exits 0.
run: mandelbrot 16
status: 0
