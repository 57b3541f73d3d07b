/*
 * guest.h - the guest library: what every test guest of user/guests/ may use.
 *
 * A guest is a small kernel ELF linked at 1 MiB (guest.ld) that the Pebbles kernel runs under
 * its hypervisor (doc/syscalls.md 16, the PebPeb v2 interface). The library (user/guests/lib)
 * gives it an entry point with a stack, the 13 hypercalls as C functions, a printf that goes
 * to hv_print, trap entry stubs that turn a delivery frame into a C call, probes (one
 * instruction whose fault a test expects, resumed after), the way into guest-user mode, and
 * page-table helpers. Guests are built with -nostdinc: this header is all they include.
 *
 * A guest sets guest_name, checks with CHECK/CHECK_EQ (each failure prints one
 * "NAME: FAILED line L: ..." line and the guest goes on) and returns guest_finish() from
 * main: "NAME: ok" and status 0, or "NAME: N check(s) failed" and status 1. The entry code
 * passes main's value to hv_exit.
 */
#ifndef GUEST_H
#define GUEST_H

typedef unsigned int uint32_t;
typedef int int32_t;
typedef unsigned short uint16_t;
typedef unsigned char uint8_t;
typedef unsigned long size_t;
typedef __builtin_va_list va_list;
#define va_start(ap, last) __builtin_va_start(ap, last)
#define va_arg(ap, type) __builtin_va_arg(ap, type)
#define va_end(ap) __builtin_va_end(ap)
#define NULL ((void *)0)

/*==== The PebPeb v2 interface (doc/syscalls.md 16) ====*/

#define HV_ENTRY_MAGIC  0x15410DE0u     /* %eax at entry */
#define HV_MAGIC        0xC001C0DEu     /* what hv_magic returns */
#define HV_TOP_VIRTUAL  0xFEFFFFFFu     /* %ecx at entry: the highest guest-virtual address */
#define HV_MEM_BYTES    (24u << 20)     /* guest-physical memory: [0, 24 MiB) */
#define HV_CRASH_STATUS ((int)0xDEADC0DE)
#define MARK_KERNEL     0x00001337u     /* frame word 3: interrupted in guest-kernel mode */
#define MARK_USER       0x13370000u     /* ... in guest-user mode */
#define EFLAGS_IF       0x200u
#define EFLAGS_BASE     0x002u          /* bit 1 is always set */

/* Virtual IDT slots the tests use. */
#define SLOT_UD         6               /* invalid opcode (ud2) */
#define SLOT_GP         13              /* general protection: privileged instructions, bad INT */
#define SLOT_PF         14              /* page fault */
#define SLOT_TIMER      0x20
#define SLOT_KEYBOARD   0x21

/* Key events (slot 0x21): the word in the error-code position of the frame. */
#define KEY_CHAR(e)     ((e) & 0xFF)
#define KEY_UNSHIFTED(e) (((e) >> 8) & 0xFF)
#define KEY_PRESS       0x10000u
#define KEY_KEYPAD      0x20000u
#define KEY_CHAR_VALID  0x40000u
#define KEY_UNSH_VALID  0x80000u
#define KEY_MODS(e)     ((e) >> 24)
#define MOD_SHIFT       0xC0u           /* left or right shift */
#define KEY_UP          0x81            /* the arrow keys' characters: up, left, down, right */
#define KEY_LSHIFT      0x89

unsigned hv_magic(void);                                                /* op 0 */
void hv_exit(int status) __attribute__((noreturn));                    /* op 1 */
void hv_iret(void *eip, unsigned eflags, void *esp, void *esp0, unsigned eax)
    __attribute__((noreturn));                                          /* op 2 */
void hv_setidt(int slot, void *eip, int privileged);                   /* op 3 */
void hv_disable_interrupts(void);                                       /* op 4 */
void hv_enable_interrupts(void);                                        /* op 5 */
void hv_setpd(void *pdbase, int wp);                                    /* op 6 */
void hv_adjustpg(void *addr);                                           /* op 7 */
void hv_print(int len, const void *buf);                               /* op 8 */
void hv_cons_set_term_color(int color);                                 /* op 9 */
void hv_cons_set_cursor_pos(int row, int col);                          /* op 10 */
void hv_cons_get_cursor_pos(int *row, int *col);                        /* op 11 */
void hv_print_at(int len, const void *buf, int row, int col, int color);   /* op 12 */
/* Any operation with up to five arguments (for the crash tests' unknown operation). */
unsigned hv_call(unsigned op, unsigned a0, unsigned a1, unsigned a2, unsigned a3, unsigned a4);
/* The instruction right after hv_enable_interrupts's INT 0xDE: where a pending event lands. */
extern char hv_enable_interrupts_after[];

/*==== Entry (lib/start.asm) ====*/

/* The registers _start found: eax, ebx, ecx, edx, esi, edi, ebp, esp. */
extern uint32_t entry_regs[8];

/*==== Traps (lib/start.asm, lib/guest.c) ====*/

/*
 * What a handler sees: the hv_iret arguments it will return with (filled in beforehand so
 * that the delivery resumes where it struck, in the same mode; change them to go elsewhere),
 * the interrupted general registers, the slot, and the delivery frame of doc/syscalls.md 16.
 * user_esp is only there for an event that interrupted guest-user mode.
 */
struct trap_frame {
    uint32_t ret_eip, ret_eflags, ret_esp, ret_esp0, ret_eax;  /* hv_iret's arguments */
    uint32_t edi, esi, ebp, esp_unused, ebx, edx, ecx, eax;    /* as pushad left them */
    uint32_t vector;                                           /* pushed by the slot's stub */
    uint32_t cr2, error, eip, marker, eflags, user_esp;        /* the hypervisor's frame */
};
typedef void (*trap_handler_t)(struct trap_frame *f);

/* The last delivery of any slot, recorded before its handler ran. */
struct trap_record {
    uint32_t count;                     /* deliveries so far */
    uint32_t vector, cr2, error, eip, marker, eflags, user_esp;
    uint32_t frame;                     /* guest-virtual address of the frame (its cr2 word) */
};
extern volatile struct trap_record last_trap;

/*
 * Installs the library's entry stub for `slot` (0..33, 0x41, 0x42, 0x80, 0x81, 0x83, 0x99 have
 * one) with the C handler `fn`. NULL: the library records the event and applies probe
 * fix-ups; an exception that is no probe's then ends the guest, an interrupt is ignored.
 */
void trap_install(int slot, trap_handler_t fn, int privileged);
void trap_remove(int slot);
/* The entry stub of a slot (for tests that call hv_setidt themselves), or NULL. */
void *trap_stub(int slot);

/*==== Probes (lib/start.asm) ====*/
/*
 * Each probe runs one instruction that may fault. If it does, and the fault's slot has a
 * stub installed, the library resumes after that instruction and the probe returns the
 * vector (details in last_trap); otherwise it returns 0. Probes run in either mode.
 */
int probe_read(const volatile void *addr);
int probe_write(volatile void *addr, uint32_t value);
int probe_ud2(void);
int probe_cli(void);
int probe_hlt(void);
int probe_int_0x41(void);
int probe_int_0x42(void);
int probe_int_0x80(void);
int probe_int_0x81(void);
int probe_int_0x20(void);
int probe_int_0x83(void);
int probe_int_0x99(void);
int probe_int_0xde(void);
/* Where each probe's instruction is, and the instruction after it. */
extern char probe_read_insn[], probe_write_insn[], probe_ud2_insn[], probe_cli_insn[];
extern char probe_int_0x41_insn[], probe_int_0x41_end[], probe_int_0x42_insn[];
extern char probe_int_0x80_insn[], probe_int_0x80_end[], probe_int_0x81_insn[];
extern char probe_int_0x99_insn[], probe_int_0xde_insn[], probe_hlt_insn[];
extern char probe_int_0x20_insn[], probe_int_0x83_insn[];

/* ud2 with esp moved to `esp` (where the delivery frame is to go). */
void ud2_on_stack(uint32_t esp);

/* hv_iret to the instruction after it, in guest-kernel mode, with these eflags. */
void iret_self(uint32_t eflags);
extern char iret_self_after[];

/*==== Guest-user mode (lib/start.asm, lib/guest.c) ====*/

/*
 * Runs fn in guest-user mode on the stack ending at user_stack (esp0 = trap_stack_top, the
 * library's stack for deliveries from user mode), with eflags; returns the value fn passes to
 * user_exit. fn must end with user_exit (a system call through slot 0x81, which
 * enter_user installs as non-privileged). enter_user returns with virtual interrupts off.
 */
uint32_t enter_user(void (*fn)(void), void *user_stack, uint32_t eflags);
void user_exit(uint32_t value) __attribute__((noreturn));
extern char trap_stack_top[];

/*==== Paging (lib/guest.c) ====*/

#define PAGE_SIZE       4096u
#define PTE_P           0x1u
#define PTE_W           0x2u
#define PTE_U           0x4u
#define PTE_FRAME       0xFFFFF000u

/* A zeroed page-sized block of guest-physical memory from [3 MiB, 4 MiB): page tables. */
uint32_t *page_alloc(void);
/* A new, empty page directory. */
uint32_t *pd_new(void);
/* Maps va to pa with pte flags; a missing table is made with pde flags P|W|U. */
void map_page(uint32_t *pd, uint32_t va, uint32_t pa, uint32_t flags);
/* Maps [start, end) to itself. */
void map_identity(uint32_t *pd, uint32_t start, uint32_t end, uint32_t flags);
/* The PTE of va (its table must exist). */
uint32_t *pte_of(uint32_t *pd, uint32_t va);

/*==== Output and checks (lib/guest.c) ====*/

extern const char *guest_name;
int snprintf(char *buf, int size, const char *fmt, ...);
int vsnprintf(char *buf, int size, const char *fmt, va_list ap);
/* Formats (%d %u %x %s %c %%, with width and 0 flag) and prints with hv_print. */
void printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int strlen(const char *s);
void *memset(void *p, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);

void check_failed(int line, const char *what);
void check_eq_failed(int line, const char *what, uint32_t got, uint32_t want);
#define CHECK(e) do { if (!(e)) check_failed(__LINE__, #e); } while (0)
#define CHECK_EQ(got, want) do { uint32_t g_ = (uint32_t)(got), w_ = (uint32_t)(want); \
        if (g_ != w_) check_eq_failed(__LINE__, #got, g_, w_); } while (0)
/*
 * For guests that do one of `count` things per run: the number 1..count a launcher left for
 * this run in the cursor of the guest's console, as row * 80 + column (guests get no
 * arguments; user/tests/guest_hammer.c sets it before the exec). Call it before printing
 * anything. Another number prints "NAME: COUNT variants; no variant N" and exits with 99.
 */
int guest_variant(int count);
/* One variant of such a guest: what it does (printed first), and the function doing it. */
struct guest_variant_fn {
    const char *what;
    void (*run)(void);
};

/* Prints "NAME: ok" or how many checks failed; returns the exit status (0 or 1). */
int guest_finish(void);
/* Prints "NAME: FAILED: why" and exits with status 2 (a dead end, not a check). */
void guest_fail(const char *why) __attribute__((noreturn));
/* For the crash guests: the crash did not happen. Prints so and exits with status 1. */
void guest_still_running(void) __attribute__((noreturn));

/* The time-stamp counter's low half (allowed at CPL 3). */
static inline uint32_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return lo;
}

/* Spins for about n cycles of the time-stamp counter. */
void spin_cycles(uint32_t n);

/*
 * The virtual timer, counted: timer_start installs a slot-0x20 handler counting ticks and
 * enables interrupts; timer_calibrate measures the cycles between ticks over n ticks.
 */
extern volatile uint32_t timer_ticks;
void timer_start(void);
uint32_t timer_calibrate(int n);

#endif /* GUEST_H */
