/*
 * syscall.h - the Pebbles system calls (doc/syscalls.md; the convention is section 1).
 *
 * Each function is a small stub in user/lib/syscalls.asm that loads its
 * arguments as the kernel expects and executes "int n". A negative result
 * is an error. The prototypes are part of the interface: keep them exact.
 */
#ifndef _SYSCALL_H
#define _SYSCALL_H

#include <ureg.h>

#define PAGE_SIZE 0x1000

/* Console colours for set_term_color(): one foreground | one background. */
#define FGND_BLACK      0x0
#define FGND_BLUE       0x1
#define FGND_GREEN      0x2
#define FGND_CYAN       0x3
#define FGND_RED        0x4
#define FGND_MAG        0x5
#define FGND_BRWN       0x6
#define FGND_LGRAY      0x7
#define FGND_DGRAY      0x8
#define FGND_BBLUE      0x9
#define FGND_BGRN       0xA
#define FGND_BCYAN      0xB
#define FGND_PINK       0xC
#define FGND_BMAG       0xD
#define FGND_YLLW       0xE
#define FGND_WHITE      0xF

#define BGND_BLACK      0x00
#define BGND_BLUE       0x10
#define BGND_GREEN      0x20
#define BGND_CYAN       0x30
#define BGND_RED        0x40
#define BGND_MAG        0x50
#define BGND_BRWN       0x60
#define BGND_LGRAY      0x70

/* A swexn handler is entered as if called as handler(arg, ureg). */
typedef void (*swexn_handler_t)(void *arg, ureg_t *ureg);

/* Tasks and threads. (thread_fork, int 0x52, has no C prototype: a C function
 * cannot return twice on one stack, so only assembly thread libraries use it.) */
int fork(void);                         /* 0x41: new task, a copy of this one; 0 in the child */
int exec(char *execname, char *argvec[]); /* 0x42: replace this program; returns only on error */
void set_status(int status);            /* 0x59: set the task's exit status */
void vanish(void);                      /* 0x60: end this thread (does not return) */
void task_vanish(int status);           /* 0x57: end every thread with status (no return) */
int wait(int *status_ptr);              /* 0x44: collect an ended child: its tid and status */
int gettid(void);                       /* 0x48: the calling thread's tid */
int yield(int tid);                     /* 0x45: let thread tid (-1: anyone) run now */
int deschedule(int *reject);            /* 0x46: sleep until make_runnable, unless *reject != 0 */
int make_runnable(int tid);             /* 0x47: wake thread tid from deschedule */
unsigned int get_ticks(void);           /* 0x53: timer ticks since boot (100 a second) */
int sleep(int ticks);                   /* 0x4B: block for this many timer ticks */
void misbehave(int mode);               /* 0x54: scheduling test knobs (bits 1, 2, 4) */

/* Memory. */
int new_pages(void *base, int len);     /* 0x49: map len zeroed bytes at base */
int remove_pages(void *base);           /* 0x4A: unmap the new_pages region at base */

/*
 * Special characters getchar() returns besides ASCII (Enter '\n', Backspace '\b', Tab '\t',
 * Esc 0x1B, Ctrl+letter 1..26, Delete 0x7F). Keys without a code (F-keys, Home...) give nothing.
 */
#define KEY_UP          0x81
#define KEY_LEFT        0x82
#define KEY_DOWN        0x83
#define KEY_RIGHT       0x84
#define KEY_ESC         0x1B
#define KEY_DELETE      0x7F
#define KEY_CTRL(c)     ((c) & 0x1F)    /* KEY_CTRL('c') == 3: Ctrl+C is an ordinary character */

/* Console. */
int new_console(void);                  /* 0x58: move this task onto a new console in front */
int getchar(void);                      /* 0x4C: next input character, not echoed */
int readline(int len, char *buf);       /* 0x4D: read one line, echoed and edited; returns bytes */
int print(int len, char *buf);          /* 0x4E: write len bytes to this task's console */
int set_term_color(int color);          /* 0x4F: colour byte of later output (FGND_ | BGND_) */
int set_cursor_pos(int row, int col);   /* 0x50: move the cursor (row 0..24, col 0..79) */
int get_cursor_pos(int *row, int *col); /* 0x51: where the cursor is */

/* Files and the machine. */
/* 0x62: copy up to count bytes of a file from offset; returns bytes ("." lists the disk) */
int readfile(char *filename, char *buf, int count, int offset);
void halt(void);                        /* 0x55: stop the machine (does not return) */

/* Exceptions. */
/* 0x74: register (or remove) this thread's fault handler; resume with *newureg if given */
int swexn(void *esp3, swexn_handler_t eip, void *arg, ureg_t *newureg);

/* Extensions of this kernel (INT 0x80-0x8F; not part of Pebbles). */
int free_frames(void);                  /* 0x80: free physical frames, user and kernel */
int log_print(int len, char *buf);      /* 0x81: len bytes to the debug log, not the screen */


/*
 * The "does not return" calls are deliberately not marked noreturn: if a
 * kernel under test does return from them, the program should go on visibly
 * rather than run off into whatever code the compiler placed next.
 */

#endif /* _SYSCALL_H */
