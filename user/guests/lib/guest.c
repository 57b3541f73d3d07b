/*
 * guest.c - the C half of the guest library (guest.h): trap dispatch, guest-user mode,
 * page-table helpers, a small printf to hv_print, and the check helpers.
 */
#include "guest.h"

const char *guest_name = "guest";
static int failures;

/*==== Traps ====*/

extern uint32_t trap_stubs[];                   /* (slot, stub) pairs, then (0, 0) */
extern uint32_t probe_table[];                  /* (instruction, resume) pairs, then 0 */
extern char user_return[];
extern uint32_t kernel_resume;
uint32_t enter_user_asm(void (*fn)(void), void *stack, uint32_t eflags, void *esp0);

static trap_handler_t handlers[256];
volatile struct trap_record last_trap;

void *trap_stub(int slot)
{
    for (uint32_t *p = trap_stubs; p[1]; p += 2)
        if (p[0] == (uint32_t)slot)
            return (void *)p[1];
    return NULL;
}

void trap_install(int slot, trap_handler_t fn, int privileged)
{
    if (!trap_stub(slot))
        guest_fail("trap_install: no stub for that slot");
    handlers[slot] = fn;
    hv_setidt(slot, trap_stub(slot), privileged);
}

void trap_remove(int slot)
{
    handlers[slot & 0xFF] = NULL;
    hv_setidt(slot, 0, 0);
}

/* A fault at a probe's instruction resumes after it with the vector in eax. */
static int probe_fixup(struct trap_frame *f)
{
    for (uint32_t *p = probe_table; p[0]; p += 2) {
        if (f->eip == p[0] && f->vector < 32) {
            f->ret_eip = p[1];
            f->ret_eax = f->vector;
            return 1;
        }
    }
    return 0;
}

/*
 * Called by trap_common for every delivery: the default return (the same place, mode and
 * eflags), the record, the probe fix-up, then the slot's handler. An event that interrupted
 * guest-kernel mode resumes on this stack above the frame (esp + 20); one from guest-user
 * mode resumes on the user stack and keeps esp0 where the frame was pushed from.
 */
void guest_trap(struct trap_frame *f)
{
    f->ret_eip = f->eip;
    f->ret_eflags = f->eflags;
    f->ret_eax = f->eax;
    if (f->marker == MARK_USER) {
        f->ret_esp = f->user_esp;
        f->ret_esp0 = (uint32_t)&f->user_esp + 4;
    } else {
        f->ret_esp = (uint32_t)&f->user_esp;
        f->ret_esp0 = 0;
    }
    last_trap.vector = f->vector;
    last_trap.cr2 = f->cr2;
    last_trap.error = f->error;
    last_trap.eip = f->eip;
    last_trap.marker = f->marker;
    last_trap.eflags = f->eflags;
    last_trap.user_esp = f->marker == MARK_USER ? f->user_esp : 0;
    last_trap.frame = (uint32_t)&f->cr2;
    last_trap.count++;
    if (probe_fixup(f))
        return;
    if (handlers[f->vector]) {
        handlers[f->vector](f);
        return;
    }
    if (f->vector >= 32)
        return;                 /* an interrupt or INT n with no C handler: ignored */
    printf("%s: FAILED: unexpected trap %d, error %x, eip %x, cr2 %x, marker %x\n",
           guest_name, (int)f->vector, f->error, f->eip, f->cr2, f->marker);
    hv_exit(3);
}

/*==== Guest-user mode ====*/

static uint32_t kernel_eflags;

/* Slot 0x81 from guest-user mode: back to enter_user's caller with eax as the value. */
static void user_exit_trap(struct trap_frame *f)
{
    if (f->marker != MARK_USER)
        guest_fail("user_exit called in guest-kernel mode");
    f->ret_eip = (uint32_t)user_return;
    f->ret_esp = kernel_resume;
    f->ret_esp0 = 0;
    f->ret_eflags = kernel_eflags;
}

uint32_t enter_user(void (*fn)(void), void *user_stack, uint32_t eflags)
{
    trap_install(0x81, user_exit_trap, 0);
    kernel_eflags = EFLAGS_BASE;        /* back in guest-kernel mode with interrupts off */
    return enter_user_asm(fn, user_stack, eflags, trap_stack_top);
}

void user_exit(uint32_t value)
{
    __asm__ volatile("int $0x81" : : "a"(value) : "memory");
    for (;;)
        ;
}

/*==== Paging ====*/

#define TABLES_START    0x300000u               /* page tables come from [3 MiB, 4 MiB) */
#define TABLES_END      0x400000u
static uint32_t next_table = TABLES_START;

uint32_t *page_alloc(void)
{
    uint32_t *p = (uint32_t *)next_table;

    if (next_table >= TABLES_END)
        guest_fail("page_alloc: out of table space");
    next_table += PAGE_SIZE;
    memset(p, 0, PAGE_SIZE);
    return p;
}

uint32_t *pd_new(void)
{
    return page_alloc();
}

uint32_t *pte_of(uint32_t *pd, uint32_t va)
{
    uint32_t pde = pd[va >> 22];

    if (!(pde & PTE_P))
        guest_fail("pte_of: no table");
    return (uint32_t *)(pde & PTE_FRAME) + ((va >> 12) & 0x3FF);
}

void map_page(uint32_t *pd, uint32_t va, uint32_t pa, uint32_t flags)
{
    uint32_t *pde = &pd[va >> 22];

    if (!(*pde & PTE_P))
        *pde = (uint32_t)page_alloc() | PTE_P | PTE_W | PTE_U;
    *pte_of(pd, va) = (pa & PTE_FRAME) | flags;
}

void map_identity(uint32_t *pd, uint32_t start, uint32_t end, uint32_t flags)
{
    for (uint32_t a = start; a < end; a += PAGE_SIZE)
        map_page(pd, a, a, flags);
}

/*==== Strings and output ====*/

int strlen(const char *s)
{
    int n = 0;

    while (s[n])
        n++;
    return n;
}

void *memset(void *p, int c, size_t n)
{
    uint8_t *d = p;

    while (n--)
        *d++ = (uint8_t)c;
    return p;
}

void *memcpy(void *d, const void *s, size_t n)
{
    uint8_t *to = d;
    const uint8_t *from = s;

    while (n--)
        *to++ = *from++;
    return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const uint8_t *x = a, *y = b;

    for (; n; n--, x++, y++)
        if (*x != *y)
            return *x - *y;
    return 0;
}

/* The output buffer of vsnprintf: where the next byte goes, and how many fit. */
struct out {
    char *buf;
    int size, len;
};

static void put(struct out *o, char c)
{
    if (o->len + 1 < o->size)
        o->buf[o->len] = c;
    o->len++;
}

/* An unsigned number in base 10 or 16, at least `width` wide, padded with `pad`. */
static void put_number(struct out *o, uint32_t v, int base, int width, char pad, int negative)
{
    char digits[12];
    int n = 0;

    do {
        digits[n++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    if (negative && pad == '0')
        put(o, '-');
    for (int w = n + negative; w < width; w++)
        put(o, pad);
    if (negative && pad != '0')
        put(o, '-');
    while (n)
        put(o, digits[--n]);
}

int vsnprintf(char *buf, int size, const char *fmt, va_list ap)
{
    struct out o = { buf, size, 0 };

    for (; *fmt; fmt++) {
        char pad = ' ';
        int width = 0;

        if (*fmt != '%') {
            put(&o, *fmt);
            continue;
        }
        if (*++fmt == '0')
            pad = '0', fmt++;
        while (*fmt >= '0' && *fmt <= '9')
            width = width * 10 + *fmt++ - '0';
        switch (*fmt) {
        case 'd': {
            int v = va_arg(ap, int);
            put_number(&o, v < 0 ? -(uint32_t)v : (uint32_t)v, 10, width, pad, v < 0);
            break;
        }
        case 'u': put_number(&o, va_arg(ap, uint32_t), 10, width, pad, 0); break;
        case 'x': put_number(&o, va_arg(ap, uint32_t), 16, width, pad, 0); break;
        case 'c': put(&o, (char)va_arg(ap, int)); break;
        case 's': {
            const char *s = va_arg(ap, const char *);
            int n = strlen(s);
            for (; n < width; n++)
                put(&o, ' ');
            while (*s)
                put(&o, *s++);
            break;
        }
        case '\0': fmt--; break;
        default: put(&o, *fmt); break;
        }
    }
    if (size > 0)
        buf[o.len < size ? o.len : size - 1] = '\0';
    return o.len;
}

int snprintf(char *buf, int size, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

/* One hv_print per call (at most 410 bytes), so that a line is never split by another's. */
void printf(const char *fmt, ...)
{
    char buf[411];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    hv_print(n < (int)sizeof buf ? n : (int)sizeof buf - 1, buf);
}

/*==== Checks ====*/

int guest_variant(int count)
{
    int row = -1, col = -1, v;

    hv_cons_get_cursor_pos(&row, &col);
    v = row * 80 + col;
    if (v < 1 || v > count) {
        printf("%s: %d variants; no variant %d\n", guest_name, count, v);
        hv_exit(99);
    }
    return v;
}

void check_failed(int line, const char *what)
{
    printf("%s: FAILED line %d: %s\n", guest_name, line, what);
    failures++;
}

void check_eq_failed(int line, const char *what, uint32_t got, uint32_t want)
{
    printf("%s: FAILED line %d: %s is 0x%x, expected 0x%x\n", guest_name, line, what, got,
           want);
    failures++;
}

int guest_finish(void)
{
    if (failures == 0) {
        printf("%s: ok\n", guest_name);
        return 0;
    }
    printf("%s: %d check(s) failed\n", guest_name, failures);
    return 1;
}

void guest_fail(const char *why)
{
    printf("%s: FAILED: %s\n", guest_name, why);
    hv_exit(2);
}

void guest_still_running(void)
{
    printf("%s: FAILED: still running after the crash\n", guest_name);
    hv_exit(1);
}

/*==== Time ====*/

void spin_cycles(uint32_t n)
{
    uint32_t start = rdtsc();

    while (rdtsc() - start < n)
        ;
}

volatile uint32_t timer_ticks;

static void count_tick(struct trap_frame *f)
{
    (void)f;
    timer_ticks++;
}

void timer_start(void)
{
    trap_install(SLOT_TIMER, count_tick, 1);
    hv_enable_interrupts();
}

/* Waits for a tick, then times n more; gives up (0) after 2^31 cycles without one. */
uint32_t timer_calibrate(int n)
{
    uint32_t t, start, limit = rdtsc();

    t = timer_ticks;
    while (timer_ticks == t)
        if (rdtsc() - limit > 0x80000000u)
            return 0;
    start = rdtsc();
    t = timer_ticks;
    while (timer_ticks - t < (uint32_t)n)
        if (rdtsc() - start > 0x80000000u)
            return 0;
    return (rdtsc() - start) / n;
}
