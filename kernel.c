/*
 * kernel.c -- the Pebbles teaching kernel, in one file.
 *
 * A Unix-like kernel for 32-bit x86 implementing the Pebbles system-call interface (see
 * README and doc/syscalls.md). It boots from a 1.44 MB FAT12 floppy, runs programs from that
 * floppy in user mode, and is meant to be read top to bottom: each part uses only what came
 * before it, except for a few forward declarations, each placed where C forces it.
 *
 * Build:  ./build.sh            (kernel, user programs, build/floppy.img)
 * Run:    bochs                 (bochsrc; type `c` at the debugger prompt)
 *         ./build.sh run PROG   (headless; prints the console, exits with PROG's status)
 * Test:   ./build.sh test
 *
 *==== Contents ====
 *   0. Front matter: memory map, boot story, conventions
 *   1. Configuration and limits
 *   2. Hardware and format layouts
 *   3. Kernel objects and their invariants
 *   4. Forward declarations
 *   5. kernel_main
 *   6. The platform: the bare PC, or a guest of another Pebbles kernel
 *   7. Freestanding library
 *   8. Debug output: port 0xE9, COM1, halting the machine
 *   9. Console (VGA text mode) and virtual consoles
 *  10. PIC and timer
 *  11. Keyboard, serial input and the line discipline
 *  12. GDT, TSS, IDT
 *  13. Traps and exceptions
 *  14. Physical frames
 *  15. Kernel heap
 *  16. Paging and virtual memory
 *  17. Locks
 *  18. Context switch and scheduler
 *  19. Tasks and threads
 *  20. Floppy driver
 *  21. FAT12
 *  22. Hypervisor: Pebbles kernels as guests
 *  23. ELF loading and exec
 *  24. swexn
 *  25. System calls
 *  26. Self-tests
 *
 *==== Physical memory (identity mapped, supervisor only, in every address space) ====
 *
 *   0x00000000  page 0: never mapped, so a NULL dereference faults
 *   0x00001000  pages 1..15: windows, where user frames are mapped for a moment (section 16)
 *   0x00000600  the first FAT, 0x7C00 the boot sector, 0x7E00 the root directory, as boot.asm
 *               read them: copied (boot_sectors_keep, section 20) before the windows cover them
 *   0x00010000  KERNEL.BIN: entry.asm, then this file's text, rodata, data; then bss (page
 *               tables of the kernel, the boot/idle stack, the floppy DMA buffer)
 *   0x000A0000  VGA memory (text at 0xB8000), BIOS ROMs
 *   0x00100000  kernel frames: page directories and tables, kernel stacks, the heap
 *   0x01000000  user frames, handed out one by one (section 14)
 *
 *==== Virtual memory of a task ====
 *
 *   0x00000000 .. 0x00FFFFFF  the kernel, as above (not accessible from user mode)
 *   0x01000000 ..             the program: text and rodata (read-only), data, bss
 *        ...                  new_pages regions, anywhere the task likes
 *   0xFFFBF000 .. 0xFFFFEFFF  the initial stack (USER_STACK_SIZE, zero-fill on demand)
 *   0xFFFFF000 .. 0xFFFFFFFF  free for new_pages (the initial stack ends below it)
 *
 *   A guest kernel's task (section 22) instead sees guest-virtual v at v + 0x01000000, through
 *   shadow page tables: 0x01000000 .. 0xFFFFFFFF is guest-virtual 0 .. 0xFEFFFFFF.
 *
 *==== The boot story ====
 *
 *   1. The BIOS loads boot.asm (sector 0 of the floppy) at 0x7C00. It finds KERNEL.BIN in the
 *      FAT12 root directory, follows its cluster chain, loads it at 0x10000, and jumps there.
 *   2. entry.asm (16-bit) asks the BIOS for the memory map, enables A20, switches to 32-bit
 *      protected mode, unpacks the rest of itself and this file's text and data (build.sh
 *      packs them: fewer floppy sectors to read), clears .bss and calls kernel_main(&boot_info).
 *   3. kernel_main (section 5) brings up the hardware and memory, turns itself into the idle
 *      thread and starts the boot thread, which mounts the floppy and starts `init` with the
 *      words of the file `bootargs` as its arguments, then stays on as the reaper.
 *   4. init (user/progs/init.c) runs the program bootargs names, or else keeps a shell running;
 *      when init ends, the kernel halts the machine with init's exit status.
 *
 *   Built as a guest (build/pebbles-guest, section 6), another Pebbles kernel loads this file
 *   as a program instead: entry.asm's guest_entry replaces steps 1 and 2, the boot thread reads
 *   the machine's floppy through hypercalls, bootargs is `guest-bootargs`, and halting ends the
 *   guest's task.
 *
 *==== How a system call travels ====
 *
 *   user stub (user/lib/syscalls.asm): %esi = argument or packet address; INT n
 *   -> entry.asm trap_stub_n: push the rest of a ureg_t-shaped frame -> trap_common
 *   -> syscall_entry (end of section 25) -> the sys_* of section 25 -> result into frame->eax
 *   -> one test with interrupts off: anything to do on the way out (kill? misbehave? preempt?)
 *   -> trap_return: pop the frame, iret
 *   Every other vector goes the same way through trap_common and trap_dispatch (section 13).
 *
 *==== Conventions ====
 *
 *   - Every function is static, except those entry.asm calls: kernel_main, trap_dispatch,
 *     syscall_entry, and in the guest build guest_trap_entry (and the variable guest_vif it
 *     writes).
 *   - Errors are negative `enum error_code` values; 0 or a count means success.
 *   - "Interrupts off" sections are short and bounded; anything that may take long (copying,
 *     zeroing, disk I/O) runs with interrupts on and blocks instead of spinning.
 *   - Locks are taken in the order of the table in section 17 (checked in LOCKCHECK builds).
 *   - A user pointer is touched only through copy_from_user/copy_to_user (section 16).
 *   - "syscalls N" in a comment means section N of doc/syscalls.md, the interface this kernel
 *     implements (the Pebbles system calls of CMU's 15-410, in this project's words).
 */

/*==== 1. Configuration and limits ====*/
/* Every tunable number of the kernel, in one place. */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

typedef uint32_t u32;
typedef uint16_t u16;
typedef uint8_t u8;
typedef uint64_t u64;
typedef int32_t i32;

/* Which machine this build runs on (section 6): 0 the bare PC (build/kernel.bin), 1 a PebPeb
 * guest of another Pebbles kernel (build/pebbles-guest, compiled with -DPLATFORM_GUEST=1). */
#ifndef PLATFORM_GUEST
#define PLATFORM_GUEST      0
#endif

#define KERNEL_VERSION      "0.2"
#define TIMER_HZ            100         /* default timer rate; misbehave can change it */
#define TIMER_HZ_MAX        1000        /* the fastest rate the kernel accepts */
#define QUANTUM_TICKS       1           /* whole ticks a thread runs before it is preempted */
#define MISBEHAVE_FAST_TIMER    1       /* misbehave bits: see sys_misbehave */
#define MISBEHAVE_YIELD_SYSCALL 2
#define MISBEHAVE_YIELD_UNLOCK  4

#define PAGE_SIZE           4096u
#define PAGE_SHIFT          12
#define USER_MEM_START      0x01000000u /* syscalls 12: below is the kernel's, in every space */
#define KERNEL_IMAGE_START  0x00010000u /* boot.asm loads KERNEL.BIN here (entry.asm) */
#define BOOT_TSC_ADDR       0x000005F0u /* where boot.asm leaves the TSC at its start */
#define BDA_FLOPPY_MOTORS   0x0000043Fu /* BIOS data area: bit 0, drive A's motor is on */
#define WINDOW_BASE         0x00001000u /* temporary mappings of user frames: see section 16 */
#define WINDOW_COUNT        15          /* pages 0x1000..0xFFFF; page 0 stays unmapped */

/* The last user address: all of 4 GiB on the PC; a guest's world ends at guest-virtual
 * 0xFEFFFFFF (its segments' base is 16 MiB, section 22). */
#define USER_MEM_LAST       (PLATFORM_GUEST ? 0xFEFFFFFFu : 0xFFFFFFFFu)
#define USER_STACK_TOP      (USER_MEM_LAST - 0xFFFu)    /* initial stack's end (exclusive) */
#define USER_STACK_SIZE     (256u * 1024)
#define USER_STACK_BOTTOM   (USER_STACK_TOP - USER_STACK_SIZE)

#define KSTACK_PAGES        2           /* kernel stack of every thread: 8 KiB */
#define KSTACK_CANARY       0x57ACCA11u /* at the bottom of each kernel stack, checked on switch */

#define EXEC_MAX_ARGS       128         /* argv entries exec accepts (syscalls 4) */
#define EXEC_MAX_ARGBYTES   8192        /* total bytes of argv strings incl. NULs (>= 4 KiB) */
#define EXEC_MAX_NAME       256         /* longest file name a system call accepts */
#define PRINT_MAX           (64 * 1024) /* longest print (syscalls 7) */
#define READFILE_CHUNK      512         /* readfile copies to the user through this much stack */
/* The file that names init's program (section 23). A guest reads the same disk as the kernel
 * that runs it, so it has a file of its own. */
#define BOOTARGS_FILE       (PLATFORM_GUEST ? "guest-bootargs" : "bootargs")

#define FLOPPY_CACHE_TRACKS 32          /* whole tracks (9 KiB each) the floppy cache keeps */
#define FLOPPY_RETRIES      4           /* attempts per track read before giving up */
#define FLOPPY_IRQ_TIMEOUT_MS 2000      /* wait this long for IRQ 6 before resetting */
#define FLOPPY_MOTOR_OFF_MS 2000        /* idle time before the motor is turned off */
#define FLOPPY_SPINUP_MS    300         /* motor spin-up time before the first read */

#define FAT_MAX_DEPTH       8           /* sub-directory nesting the "." listing follows */
#define FAT_LISTING_MAX     (32 * 1024) /* largest "." listing */
#define FAT_LISTING_DIRS    512         /* directories a listing visits: more means corrupt */
#define ROOT_INDEX_BUCKETS  256         /* hash buckets of the root directory's index */

#define TID_HASH_SIZE       4096        /* tid -> thread table: a bucket per thread (section 19) */
#define SPARE_TABLES        8           /* empty page tables kept for reuse (section 16) */
#define CLEAN_FRAMES        256         /* free frames the idle thread keeps zeroed (14) */
#define KILL_BATCH          16          /* threads task_vanish kills per interrupts-off stretch */
#define WAKE_BATCH          16          /* sleepers one tick wakes; more due wait for the next */
#define SERIAL_RING_SIZE    4096        /* COM1 transmit buffer */
#define SERIAL_CHUNK        64          /* bytes queued per interrupts-off stretch */
#define CONSOLE_MAX         8           /* virtual consoles (syscalls 10): Alt+F1..F8 */
#define CONSOLE_ROWS        25
#define CONSOLE_COLS        80
#define INPUT_RING_SIZE     256         /* characters typed ahead of readers, per console */
#define READLINE_MAX        4096        /* longest readline len; the longest line kept */

/* Guests (section 22; the PebPeb v2 contract is doc/syscalls.md section 16). */
#define GUEST_BASE          0x01000000u /* host-linear address of guest-virtual 0 */
#define GUEST_MEM           (24u << 20) /* guest-physical memory */
#define GUEST_FRAMES        (GUEST_MEM / PAGE_SIZE)
#define GUEST_VA_MAX        0xFEFFFFFFu /* the highest guest-virtual address */
#define GUEST_LOAD_LIMIT    0x01000000u /* an ELF wholly below this is a guest */
#define GUEST_SHADOW_MAX    64          /* shadow page tables per guest before all are dropped */
#define GUEST_KEYS          64          /* key events queued for a guest */
#define GUEST_TIMER_HZ      100         /* the virtual timer */
#define HV_PRINT_MAX        410         /* longest hv_print */
#define HV_VECTOR           0xDE        /* INT 0xDE: a hypercall */
#define HV_DISK_MAX         16384       /* longest hv_disk_read (an extension, section 22) */

/* Lock orders: a thread holding a lock may take only locks of a higher order (the table
 * and what each lock protects are in section 17). */
#define LOCK_CONSOLE_INPUT 8
#define LOCK_CONSOLE    10
#define LOCK_TASK_TREE  12
#define LOCK_VM         14
#define LOCK_DESCHEDULE 16
#define LOCK_FAT_INDEX  18
#define LOCK_FLOPPY     20
#define LOCK_HEAP       30
#define LOCK_KFRAME     40

/* GDT selectors. The first two must match entry.asm. */
#define GDT_KERNEL_CS       0x08
#define GDT_KERNEL_DS       0x10
#define GDT_USER_CS         0x1B        /* index 3, RPL 3 */
#define GDT_USER_DS         0x23        /* index 4, RPL 3 */
#define GDT_TSS             0x28
#define GDT_GUEST_CS        0x33        /* index 6, RPL 3: base GUEST_BASE */
#define GDT_GUEST_DS        0x3B        /* index 7, RPL 3: base GUEST_BASE */

/* Interrupt vectors. */
#define IRQ_BASE            0x20        /* the PIC's IRQ 0..15 become vectors 0x20..0x2F */
#define IRQ_TIMER           0
#define IRQ_KEYBOARD        1
#define IRQ_COM1            4
#define IRQ_FLOPPY          6
#define SYSCALL_FIRST       0x40
#define SYSCALL_LAST        0x8F

/* Error codes returned by system calls (all negative; README lists them). */
enum error_code {
    E_NOSYS = -1,       /* not implemented (no call returns it today) */
    E_INVAL = -2,       /* an argument is out of range */
    E_FAULT = -3,       /* a pointer is not valid user memory of the needed kind */
    E_NOENT = -4,       /* no such file */
    E_NOMEM = -5,       /* not enough memory, now */
    E_NOEXEC = -6,      /* not a valid executable */
    E_CHILD = -7,       /* no child that could ever be waited for */
    E_SRCH = -8,        /* no such thread */
    E_STATE = -9,       /* the thread is not in a state that allows this */
    E_IO = -10,         /* the disk failed or its file system is corrupt */
    E_2BIG = -11,       /* too many or too long arguments */
    E_BUSY = -12,       /* the task has other threads */
};

/*==== 2. Hardware and format layouts ====*/
/* Bit layouts of the x86, the records entry.asm hands over, and the on-disk formats. */

/* Page directory and page table entries. Bits 9..11 are ours to use. */
#define PTE_P           0x001u  /* present */
#define PTE_W           0x002u  /* writable */
#define PTE_U           0x004u  /* user-accessible */
#define PTE_G           0x100u  /* global: survives %cr3 reloads (kernel mappings only) */
#define PTE_ZFOD        0x200u  /* ours: maps the shared zero frame; copy-on-first-write */
#define PTE_COW         0x400u  /* ours: shared frame, copy on the first write */
#define PTE_FRAME       0xFFFFF000u
#define PDX(va)         ((u32)(va) >> 22)
#define PTX(va)         (((u32)(va) >> 12) & 0x3FF)

#define CR0_WP          0x00010000u /* ring 0 honours read-only pages (needed for COW) */
#define CR0_PG          0x80000000u
#define CR4_PGE         0x00000080u
#define EFLAGS_IF       0x00000200u
#define EFLAGS_RESERVED 0x00000002u /* bit 1 always reads as 1 */
/* The flags a user may choose (syscalls 9): CF PF AF ZF SF TF DF OF AC. */
#define EFLAGS_USER     0x00040DD5u
#define EFLAGS_TF       0x00000100u
#define EFLAGS_DF       0x00000400u
#define EFLAGS_RF       0x00010000u
#define EFLAGS_AC       0x00040000u
#define CR0_AM          0x00040000u /* EFLAGS.AC makes misaligned user accesses fault (#AC) */

/* The x87 state as FNSAVE writes it; CR0 bits that make the FPU report errors as #MF. */
#define FPU_STATE_SIZE  108
#define CR0_MP          0x00000002u /* WAIT honours TS */
#define CR0_EM          0x00000004u /* emulate the FPU: must be off */
#define CR0_NE          0x00000020u /* x87 errors as exception 16, not IRQ 13 */

/* PebPeb v2 hypercalls (INT 0xDE, operation in %eax: doc/syscalls.md 16), then this kernel's
 * extensions in the reserved range 0x20..0x27: the paravirtual disk, the debug log, idling. */
enum hypercall {
    HV_MAGIC_OP, HV_EXIT, HV_IRET, HV_SETIDT, HV_DISABLE, HV_ENABLE, HV_SETPD, HV_ADJUSTPG,
    HV_PRINT, HV_SET_COLOR, HV_SET_CURSOR, HV_GET_CURSOR, HV_PRINT_AT, HV_OPS,
    HV_DISK_READ = 0x20, HV_LOG, HV_IDLE, HV_EXTENSIONS_END
};
#define GUEST_BOOT_MAGIC    0x15410DE0u /* %eax at a guest's entry */
#define GUEST_FRAME_KERNEL  0x00001337u /* frame marker: interrupted in guest-kernel mode */
#define GUEST_FRAME_USER    0x13370000u /* frame marker: interrupted in guest-user mode */

/* Page-fault error code bits. */
#define PF_PRESENT      0x1u    /* 0: page not present; 1: protection violation */
#define PF_WRITE        0x2u
#define PF_USER         0x4u

/*
 * struct trapframe: what entry.asm's trap stubs build on the kernel stack. Its layout IS ureg_t
 * (syscalls 9), so swexn copies it out unchanged. Must match TRAP_STUB in entry.asm.
 */
struct trapframe {
    u32 cause, cr2;                     /* vector number; fault address for page faults */
    u32 ds, es, fs, gs;
    u32 edi, esi, ebp, zero, ebx, edx, ecx, eax;    /* pusha order; zero = kernel esp */
    u32 error_code;
    u32 eip, cs, eflags;                /* pushed by the CPU */
    u32 esp, ss;                        /* pushed by the CPU only when coming from ring 3 */
};

/* The record entry.asm fills before entering C. Must match boot_info in entry.asm. */
#define BOOT_INFO_MAGIC 0x50424f4fu
#define BOOT_KEPT_MAGIC 0x4B46u         /* 'FK', boot.asm's KEPT_MAGIC (boot_sectors_keep) */
#define E820_MAX        32
#define E820_USABLE     1
struct e820_entry {
    u64 base, length;
    u32 type, extended;
} __attribute__((packed));
struct boot_info {
    u32 magic;
    u32 drive;                          /* BIOS drive number we were loaded from */
    u32 source;                         /* 1 E820, 2 E801, 3 INT 15h AH=88h */
    u32 count;
    u32 kept;                           /* BOOT_KEPT_MAGIC: boot.asm's sectors are in memory */
    struct e820_entry e820[E820_MAX];
} __attribute__((packed));

/* Segment descriptor and gate encodings. */
struct tss {
    u32 prev, esp0, ss0, esp1, ss1, esp2, ss2, cr3, eip, eflags;
    u32 eax, ecx, edx, ebx, esp, ebp, esi, edi;
    u32 es, cs, ss, ds, fs, gs, ldt;
    u16 trap, iomap_base;
} __attribute__((packed));

/* ELF32 executables (System V ABI, i386 supplement). */
#define ELF_MAGIC       0x464C457Fu     /* "\x7FELF" read as a little-endian word */
#define ELF_CLASS32     1
#define ELF_DATA_LSB    1
#define ELF_TYPE_EXEC   2
#define ELF_MACHINE_386 3
#define ELF_PT_LOAD     1
#define ELF_PF_W        2
struct elf_header {
    u32 magic;
    u8 class, data, version, osabi, pad[8];
    u16 type, machine;
    u32 version2, entry, phoff, shoff, flags;
    u16 ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
} __attribute__((packed));
struct elf_phdr {
    u32 type, offset, vaddr, paddr, filesz, memsz, flags, align;
} __attribute__((packed));

/* FAT12: the BIOS parameter block in sector 0, and 32-byte directory entries. */
struct fat_bpb {
    u8 jump[3];
    char oem[8];
    u16 bytes_per_sector;
    u8 sectors_per_cluster;
    u16 reserved_sectors;
    u8 fat_count;
    u16 root_entries;
    u16 total_sectors16;
    u8 media;
    u16 sectors_per_fat;
    u16 sectors_per_track;
    u16 heads;
    u32 hidden_sectors;
    u32 total_sectors32;
} __attribute__((packed));

#define FAT_ATTR_READONLY   0x01
#define FAT_ATTR_HIDDEN     0x02
#define FAT_ATTR_SYSTEM     0x04
#define FAT_ATTR_VOLUME     0x08
#define FAT_ATTR_DIR        0x10
#define FAT_ATTR_LFN        0x0F    /* read-only|hidden|system|volume: a VFAT long-name piece */
#define FAT_NT_LOWER_BASE   0x08    /* "case" byte: the 8-character base is lower case */
#define FAT_NT_LOWER_EXT    0x10    /* ... and the extension */
#define FAT_DELETED         0xE5
#define FAT_LFN_LAST        0x40    /* in the order byte: the last (first stored) piece */
struct fat_dirent {
    char name[11];                  /* 8 + 3, space padded, upper case */
    u8 attr, nt_case, ctime_ms;
    u16 ctime, cdate, adate, cluster_hi, mtime, mdate, cluster;
    u32 size;
} __attribute__((packed));
struct fat_lfn {
    u8 order;
    u16 name1[5];
    u8 attr, type, checksum;
    u16 name2[6];
    u16 zero;
    u16 name3[2];
} __attribute__((packed));

/*==== 3. Kernel objects and their invariants ====*/

/* An intrusive circular doubly-linked list; an empty list's head points at itself. */
struct list {
    struct list *next, *prev;
};
#define LIST_INIT(name)     { &(name), &(name) }
#define CONTAINER_OF(ptr, type, field) ((type *)((char *)(ptr) - offsetof(type, field)))

/*
 * A wait queue: the threads blocked until some event. Every blocking in the kernel goes through
 * thread_block() on one of these (section 18); the waker calls waitq_wake_one/all. Both sides run
 * with interrupts off around the check of the condition and the enqueue, which is what makes a
 * wakeup impossible to lose on one CPU.
 */
struct waitq {
    struct list threads;
};

/*
 * A mutex that blocks, first come first served: the releaser hands it straight to the thread
 * that has waited longest, so a thread that unlocks and locks again in a loop cannot starve the
 * others. Invariant: owner == NULL iff nobody holds it, and then nobody waits; a thread never
 * waits for a mutex it holds (asserted). Mutexes are taken in increasing `order` (the lock-order
 * table in section 17); the LOCKCHECK build asserts it.
 */
struct lock_info {                  /* what the lock-order checker knows of a lock */
    const char *name;
    int order;
};

struct mutex {
    struct thread *owner;
    struct waitq waiters;
    struct lock_info info;
};

/* A condition variable: cond_wait releases the mutex and blocks in one step (interrupts off). */
struct cond {
    struct waitq waiters;
};

/*
 * A reader-writer lock: many readers or one writer. A waiting writer holds new readers back,
 * so a stream of readers cannot starve it. Invariant: readers > 0 implies writer == NULL.
 */
struct rwlock {
    int readers;
    struct thread *writer;
    int writers_waiting;
    struct waitq read_wait, write_wait;
    struct lock_info info;
};

/*
 * Thread life cycle:
 *
 *   NEW --runq_push--> RUNNABLE --schedule--> RUNNING --yield, preempt--> RUNNABLE
 *                                               |
 *                                               +--thread_block--> BLOCKED ------wake--> RUNNABLE
 *                                               +--sleep---------> SLEEPING -----tick--> RUNNABLE
 *                                               +--deschedule----> DESCHEDULED -make_runnable-^
 *                                               +--thread_exit---> DEAD (the reaper frees it)
 *
 * (A kill -- task_vanish -- also wakes BLOCKED, SLEEPING and DESCHEDULED threads.)
 *
 * Invariants: exactly one thread is RUNNING (`current`); the run queue holds exactly the
 * RUNNABLE threads; a BLOCKED thread is on one wait queue (and on the sleep queue too when its
 * block has a time-out); the idle thread is never on the run queue.
 */
enum thread_state { T_NEW, T_RUNNABLE, T_RUNNING, T_BLOCKED, T_SLEEPING, T_DESCHEDULED, T_DEAD };

struct thread {
    int tid;
    enum thread_state state;
    u32 kesp;                   /* saved kernel %esp while not running (switch_stacks) */
    u32 *kstack;                /* lowest word of the kernel stack: holds KSTACK_CANARY */
    struct task *task;
    struct list run_link;       /* on the run queue or on the wait queue it blocks on */
    struct waitq *blocked_on;   /* the wait queue, while BLOCKED */
    int sleep_index;            /* its place in the sleep heap while it has a wake-up tick; -1 */
    u32 wake_tick;
    int timed_out;              /* set when a timed block ended by the clock */
    struct list task_link;      /* in task->threads */
    struct thread *hash_next;   /* tid hash chain */
    const char *kname;          /* kernel threads: a name for the debug dump */
    int killed;                 /* task_vanish: exit at the next return to user mode */
    u8 fpu[FPU_STATE_SIZE];     /* x87 registers of a user thread while it does not run */
    u32 swexn_esp3, swexn_eip, swexn_arg;   /* its swexn handler; swexn_eip 0: none */
#ifdef LOCKCHECK
    struct lock_info *held[8];  /* locks held, in the order taken */
    int held_count;
#endif
};

/*
 * A task: an address space and its threads. A task is ALIVE while it has threads; the last
 * thread's exit frees its memory and makes it a ZOMBIE holding only its exit status, on its
 * parent's zombies list, until the parent's wait (or init's, once the parent is gone)
 * collects and frees it. Its tid is its first thread's tid.
 *
 * Locks: task_tree_lock guards parent, children, zombies, child_link, state and the waiting
 * counts of every task; vm_lock guards pd's user half and the regions (section 16).
 */
/*
 * A guest (section 22): a Pebbles kernel running as the one thread of a task. Invariants:
 * view[mode] is the task's pd; frames[i] is the host frame of guest-physical page i, or 0
 * until first touched; shadow_tables counts the page tables in the guest half of both views;
 * keys[key_head..key_tail) waits for delivery (indexes grow forever; % GUEST_KEYS), shared
 * with the keyboard interrupt (interrupts off). Only the guest's own thread touches the rest.
 */
struct guest_slot {
    u32 eip;                    /* the handler; 0: empty */
    int privileged;             /* guest-user INT n may not call it */
};

struct guest {
    u32 *frames;                /* GUEST_FRAMES host frames, kernel frames of their own */
    u32 *view[2];               /* host page directories: guest-kernel, guest-user view */
    int mode;                   /* GUEST_KERNEL or GUEST_USER */
    int vif;                    /* the virtual interrupt flag */
    int paging, wp;             /* hv_setpd was called; its write-protect flag */
    u32 gpd;                    /* guest-physical page directory, once paging */
    u32 esp0;                   /* guest-kernel stack for deliveries from guest-user mode */
    u32 shadow_tables;
    struct guest_slot idt[256];
    int timer_pending;
    u32 vtick_due;              /* host tick at which the next virtual tick is due */
    u32 keys[GUEST_KEYS];
    u32 key_head, key_tail;
    struct waitq idle_wait;     /* its thread, in hv_idle until the next virtual interrupt */
};

enum task_state { TASK_ALIVE, TASK_ZOMBIE };

struct task {
    int tid;
    enum task_state state;
    u32 *pd;                    /* page directory (a kernel frame, identity mapped) */
    struct rwlock vm_lock;
    struct list regions;        /* struct region: what new_pages created */
    struct list threads;        /* its live threads */
    int thread_count;
    int exit_status;
    struct task *parent;
    struct list children;       /* live child tasks */
    struct list zombies;        /* exited children not yet collected */
    struct list child_link;     /* in parent->children, then parent->zombies */
    struct cond child_exited;   /* signalled when a child becomes a zombie or is collected */
    int waiting;                /* threads of this task blocked in wait() */
    int dying;                  /* task_vanish has begun: no new threads */
    char name[32];              /* program name, for reports */
    struct console *console;    /* where its output goes and its input comes from */
    struct guest *guest;        /* a guest kernel runs in this task (section 22), or NULL */
};

/*
 * A virtual console (syscalls 10; sections 9 and 11): a screen of its own and an input stream of
 * its own. Output draws on `screen`, which is VGA memory while the console is in front and
 * `image` otherwise. Input: interrupt handlers put characters into `typed` (and count what a
 * full ring drops); the one thread holding `read_lock` (the reader's turn) takes them out,
 * through the line discipline (`line`) for readline or raw for getchar. Other readers wait
 * for the lock, which is handed on first come first served.
 *
 * Invariants: number == 0 iff the slot is free; refs counts the tasks on the console plus the
 * system calls using it, and the console is freed when it drops to 0 (console 1 never is);
 * line[line_pos..line_len) is what the next reader gets, a whole line once line_done is set,
 * and line_pos > 0 only when line_done (so backspace never reaches a delivered part).
 * Locks: out_lock orders whole prints; screen, row, col change only with interrupts off
 * (section 9 says why); typed_* and key_wait are shared with interrupt handlers (interrupts
 * off); line_* belong to the thread holding read_lock.
 */
struct console {
    int number;                 /* 1..CONSOLE_MAX (Alt+F1..F8); 0: free */
    int refs;
    u16 *screen;                /* screen_cells in front, else image */
    int row, col;
    u8 color;
    struct mutex out_lock;      /* one print at a time */
    u16 image[CONSOLE_ROWS * CONSOLE_COLS];
    u8 typed[INPUT_RING_SIZE];  /* typed[typed_head..typed_tail) waits to be read */
    u32 typed_head, typed_tail; /* (indexes grow forever; % INPUT_RING_SIZE) */
    u32 dropped, dropped_told;  /* characters lost to a full ring; how many were reported */
    struct waitq key_wait;      /* the reader holding the turn, waiting for a character */
    struct mutex read_lock;     /* the turn to read (readline or getchar), in arrival order */
    char line[READLINE_MAX];
    int line_len, line_pos, line_done;
    int line_col;               /* the column where the line's echo began */
    struct guest *guest;        /* takes this console's key events instead (section 22) */
};

/* A region made by new_pages: remove_pages takes exactly these. */
struct region {
    u32 base, len;
    struct list link;
};

/*==== 4. Forward declarations ====*/
/* What kernel_main calls, so that it can come first. Other forward declarations stand just
 * above their first use, where C forces them. */

struct boot_info;
static void machine_init(struct boot_info *bi);
static void console_init(void);
static int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void boot_info_check(struct boot_info *bi);
static void frames_init(struct boot_info *bi);
static void vm_init(void);
static void heap_init(void);
static void threads_init(void);
static void devices_start(void);
static void memory_report(struct boot_info *bi);
static void scheduler_start(void);
static void __attribute__((noreturn)) idle_loop(void);
static void boot_thread_main(void *unused);
static void reaper_main(void *unused);

/*==== 5. kernel_main ====*/
/*
 * The bring-up order. Each step may use only what the lines above it started. Until the
 * scheduler runs there is one flow of control and nothing blocks; from then on kernel_main's
 * own stack and context become the idle thread, and the boot thread finishes the work that
 * has to wait for the disk.
 */

void kernel_main(struct boot_info *bi);
void kernel_main(struct boot_info *bi)
{
    machine_init(bi);                   /* COM1, GDT and TSS, IDT, PICs (section 6) */
    console_init();                     /* VGA text: clear screen */
    printf("Pebbles kernel booting (version " KERNEL_VERSION "%s)\n",
           PLATFORM_GUEST ? ", a guest" : "");
    boot_info_check(bi);                /* entry.asm's record is what we expect */
    frames_init(bi);                    /* frame pools from the BIOS memory map */
    vm_init();                          /* kernel page tables; paging on */
    heap_init();                        /* kmalloc */
    threads_init();                     /* this context becomes the idle thread */
    devices_start();                    /* timer, COM1 and keyboard interrupts (section 6) */
    memory_report(bi);                  /* one line: how much memory we found */
    scheduler_start();                  /* interrupts on; the reaper and boot threads exist */
    idle_loop();                        /* this context is the idle thread from now on */
}

/*==== 6. The platform: the bare PC, or a guest of another Pebbles kernel ====*/
/*
 * The same kernel.c builds for two machines (PLATFORM_GUEST, section 1): the bare PC
 * (build/kernel.bin, booted from the floppy) and a PebPeb guest (build/pebbles-guest, which
 * another Pebbles kernel runs as a program: section 22 is that hypervisor, and doc/syscalls.md
 * 16 its contract). Everything the kernel asks of the machine goes through this section, each
 * operation with its two versions side by side; the rest of the kernel is the same in both.
 *
 *   operation              bare PC                         guest
 *   interrupt flag         cli / sti / eflags.IF           hv_disable/enable; guest_vif
 *   idling                 sti; hlt                        hv_idle (extension 0x22)
 *   address spaces         %cr3, invlpg, CR0.PG            hv_setpd, hv_adjustpg
 *   traps and user mode    IDT gates, TSS esp0, iret       hv_setidt, esp0 in hv_iret
 *                          (entry.asm)                     (entry.asm built -DGUEST)
 *   fault address          %cr2                            the delivery frame's cr2
 *   screen                 VGA text memory, CRTC cursor    a copy sent with hv_print_at
 *   debug log              port 0xE9 and COM1              hv_log (extension 0x21)
 *   timer, keys            PIT and PIC, 8042 scan codes    virtual timer; key events
 *   disk                   the floppy driver (section 20)  hv_disk_read (extension 0x20)
 *   power off              Bochs/QEMU ports                hv_exit
 *
 * A guest cannot run guests of its own: that needs segments and a ring of its own, which the
 * contract does not give (exec says so, section 23).
 */

/* --- x86 primitives (the bare PC's versions use them; the guest's use only the harmless
 * ones: rdtsc, cpuid, the FPU) --- */

static inline void outb(u16 port, u8 v) { __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port)); }
static inline void outw(u16 port, u16 v)
{
    __asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}
static inline u8 inb(u16 port)
{
    u8 v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}
/* Writes n bytes to one port: one string instruction, not a loop of outb. */
static inline void outsb(u16 port, const void *s, size_t n)
{
    __asm__ volatile("rep outsb" : "+S"(s), "+c"(n) : "d"(port) : "memory");
}
static inline void io_wait(void) { outb(0x80, 0); }     /* ~1 us: POST port, unused */

static inline u32 read_cr0(void) { u32 v; __asm__ volatile("mov %%cr0, %0" : "=r"(v)); return v; }
static inline u32 read_cr2(void) { u32 v; __asm__ volatile("mov %%cr2, %0" : "=r"(v)); return v; }
static inline u32 read_cr3(void) { u32 v; __asm__ volatile("mov %%cr3, %0" : "=r"(v)); return v; }
static inline u32 read_cr4(void) { u32 v; __asm__ volatile("mov %%cr4, %0" : "=r"(v)); return v; }
static inline void write_cr0(u32 v) { __asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory"); }
static inline void write_cr3(u32 v) { __asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory"); }
static inline void write_cr4(u32 v) { __asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory"); }
static inline void invlpg(u32 va) { __asm__ volatile("invlpg (%0)" : : "r"(va) : "memory"); }

static inline u32 read_eflags(void)
{
    u32 v;
    __asm__ volatile("pushfl; popl %0" : "=r"(v));
    return v;
}
static inline u64 rdtsc(void) { u64 v; __asm__ volatile("rdtsc" : "=A"(v)); return v; }

/*
 * The x87 registers to or from memory. FNSAVE also resets the FPU, as FNINIT would. FRSTOR
 * first raises any unmasked error pending in the FPU as it is (#MF), which in the kernel would
 * be a panic: a thread that died with one pending was never saved, so its error is still
 * there. FNCLEX, which never raises anything, clears it first: no #MF in the kernel, ever.
 */
static inline void fpu_save(u8 *area) { __asm__ volatile("fnsave %0" : "=m"(*(u8 (*)[108])area)); }
static inline void fpu_restore(const u8 *area)
{
    __asm__ volatile("fnclex; frstor %0" : : "m"(*(const u8 (*)[108])area));
}

/* Bochs's magic breakpoint (bochsrc: magic_break: enabled=1): stops in the debugger. */
#define MAGIC_BREAK() __asm__ volatile("xchg %bx, %bx")

static void cpuid(u32 leaf, u32 *a, u32 *b, u32 *c, u32 *d)
{
    __asm__ volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf));
}

/* --- hypercalls (the guest's versions use them) --- */

/* entry.asm: INT 0xDE with operation op and the arguments on the stack; returns %eax. */
extern u32 hv_call(u32 op, u32 a0, u32 a1, u32 a2, u32 a3, u32 a4);

/* The guest's virtual interrupt flag as we last set it: the hypervisor keeps the real one and
 * has no call to read it. entry.asm clears it on every delivery and sets it in trap_return. */
u32 guest_vif;

/* --- the interrupt flag --- */

static inline void interrupts_off(void)
{
    if (PLATFORM_GUEST) {
        hv_call(HV_DISABLE, 0, 0, 0, 0, 0);
        guest_vif = 0;
    } else {
        __asm__ volatile("cli" ::: "memory");
    }
}

/* On the guest, a virtual interrupt that was waiting is delivered before hv_enable returns. */
static inline void interrupts_on(void)
{
    if (PLATFORM_GUEST) {
        guest_vif = 1;
        hv_call(HV_ENABLE, 0, 0, 0, 0, 0);
    } else {
        __asm__ volatile("sti" ::: "memory");
    }
}

static inline int interrupts_enabled(void)
{
    return PLATFORM_GUEST ? guest_vif != 0 : (read_eflags() & EFLAGS_IF) != 0;
}

/* Interrupts off, returning whether they were on; pairs with irq_restore. */
static inline u32 irq_save(void)
{
    u32 was_on = (u32)interrupts_enabled();
    if (was_on)
        interrupts_off();
    return was_on;
}
static inline void irq_restore(u32 was_on)
{
    if (was_on)
        interrupts_on();
}

/* The idle thread's wait for the next interrupt: called with interrupts off, returns with
 * them on and the interrupt handled. (STI takes effect only after the next instruction, so no
 * interrupt slips in between; hv_idle is one call that does both.) */
static inline void idle_halt(void)
{
    if (PLATFORM_GUEST) {
        guest_vif = 1;
        hv_call(HV_IDLE, 0, 0, 0, 0, 0);
    } else {
        __asm__ volatile("sti; hlt" ::: "memory");
    }
}

/* Whether the idle thread zeroes free frames ahead of need (section 14): on the PC its time is
 * free; a guest's idle time is its host's, and touching every free frame would make the
 * hypervisor give the guest all its memory at once. */
#define IDLE_ZEROES_FRAMES  (!PLATFORM_GUEST)

/* --- address spaces --- */

static u32 mmu_pd;                      /* the page directory in use (the guest cannot read it) */

/* Turns paging on in directory pd; ring 0 honours read-only pages (copy-on-write needs it). */
static void mmu_start(u32 pd)
{
    mmu_pd = pd;
    if (PLATFORM_GUEST) {
        hv_call(HV_SETPD, pd, 1, 0, 0, 0);
        return;
    }
    write_cr3(pd);
    write_cr0(read_cr0() | CR0_PG | CR0_WP);
}

/* Switches to directory pd (also forgetting every cached translation but global ones). */
static void mmu_load(u32 pd)
{
    mmu_pd = pd;
    if (PLATFORM_GUEST)
        hv_call(HV_SETPD, pd, 1, 0, 0, 0);
    else
        write_cr3(pd);
}

/* The entries for the page at va changed: forget what the TLB (or the shadow) holds. */
static inline void mmu_flush_page(u32 va)
{
    if (PLATFORM_GUEST)
        hv_call(HV_ADJUSTPG, va, 0, 0, 0, 0);
    else
        invlpg(va);
}

/* Global pages (PTE_G) outlive a directory switch: the PC has them; a guest's are ignored. */
static int mmu_has_global_pages(void)
{
    u32 a, b, c, d;
    if (PLATFORM_GUEST)
        return 0;
    cpuid(1, &a, &b, &c, &d);
    if (!(d & (1u << 13)))              /* CPUID.1:EDX.PGE */
        return 0;
    write_cr4(read_cr4() | CR4_PGE);
    return 1;
}

/* --- traps --- */

/* The faulting address of a page fault: %cr2 on the PC; the guest's delivery frame brought it
 * and entry.asm put it in the trap frame already. */
static inline u32 fault_address(struct trapframe *tf)
{
    return PLATFORM_GUEST ? tf->cr2 : read_cr2();
}

/* The selectors of user mode. The guest's are whatever the hypervisor gave its kernel: user
 * and kernel share them (both run at CPL 3); kernel_main notes them before anything else. */
static u32 guest_user_cs, guest_user_ds;
#define USER_CS             (PLATFORM_GUEST ? guest_user_cs : GDT_USER_CS)
#define USER_DS             (PLATFORM_GUEST ? guest_user_ds : GDT_USER_DS)

/* --- the screen --- */

#define VGA_TEXT        ((u16 *)0xB8000)
#define CRTC_INDEX      0x3D4
#define CRTC_DATA       0x3D5

/* The cells the console in front draws on (section 9): VGA memory, or the guest's copy. */
static u16 guest_screen[CONSOLE_ROWS * CONSOLE_COLS];
static u16 *const screen_cells = PLATFORM_GUEST ? guest_screen : VGA_TEXT;

/* What the hypervisor's screen shows: sent cells, and the cursor (-1: unknown). */
static struct {
    u16 cells[CONSOLE_ROWS * CONSOLE_COLS];
    int cursor;
} guest_shown = { .cursor = -1 };

/* Sends one row's changed cells, a run of one colour per hv_print_at. */
static void guest_screen_send_row(int row)
{
    u16 *now = &guest_screen[row * CONSOLE_COLS], *was = &guest_shown.cells[row * CONSOLE_COLS];
    int col = 0;
    while (col < CONSOLE_COLS) {
        char text[CONSOLE_COLS];
        int n = 0;
        u8 color = now[col] >> 8;
        if (now[col] == was[col]) {
            col++;
            continue;
        }
        while (col + n < CONSOLE_COLS && now[col + n] >> 8 == color
               && now[col + n] != was[col + n]) {
            text[n] = (char)(now[col + n] & 0xFF);
            was[col + n] = now[col + n];
            n++;
        }
        hv_call(HV_PRINT_AT, (u32)n, (u32)text, (u32)row, (u32)col, color);
        col += n;
    }
}

static int memcmp(const void *a, const void *b, size_t n);

/* The screen's cells changed (or may have) and the cursor is at cell pos: show both. On the
 * guest, only what differs from what the hypervisor shows is sent. Interrupts off. */
static void screen_update(int pos)
{
    if (!PLATFORM_GUEST) {
        /* VGA memory is the screen: only the cursor to move. A word to CRTC_INDEX writes
         * its low byte there and its high byte to CRTC_DATA: index and value in one. */
        outw(CRTC_INDEX, (u16)(14 | (pos & 0xFF00)));
        outw(CRTC_INDEX, (u16)(15 | (pos & 0xFF) << 8));
        return;
    }
    for (int row = 0; row < CONSOLE_ROWS; row++)
        if (memcmp(&guest_screen[row * CONSOLE_COLS], &guest_shown.cells[row * CONSOLE_COLS],
                   CONSOLE_COLS * 2))
            guest_screen_send_row(row);
    if (pos != guest_shown.cursor)
        hv_call(HV_SET_CURSOR, (u32)(pos / CONSOLE_COLS), (u32)(pos % CONSOLE_COLS), 0, 0, 0);
    guest_shown.cursor = pos;
}

/* --- debug log, disk, power --- */

static void serial_write(const char *s, size_t n);
static void serial_flush(void);
#define DEBUG_PORT      0xE9
#define BOCHS_SHUTDOWN_PORT 0x8900
#define QEMU_EXIT_PORT  0xF4

/* Copies n bytes to the debug log: port 0xE9 (emulators) and COM1; or the hypervisor's log,
 * which is the same two on the machine below. */
static void debug_write(const char *s, size_t n)
{
    if (PLATFORM_GUEST) {
        for (size_t done = 0, k; done < n; done += k) {
            k = n - done < HV_PRINT_MAX ? n - done : HV_PRINT_MAX;
            hv_call(HV_LOG, (u32)k, (u32)(s + done), 0, 0, 0);
        }
        return;
    }
    outsb(DEBUG_PORT, s, n);
    serial_write(s, n);
}

static void floppy_init(void);
static int floppy_read(u32 lba, u32 offset, void *dst, u32 len);

/* The disk the kernel boots from and reads programs from: the floppy, or the hypervisor's
 * (hv_disk_read reads the machine's floppy below us, read-only, through its driver). */
static void disk_init(void)
{
    if (!PLATFORM_GUEST)
        floppy_init();
}

/* Copies len bytes starting `offset` bytes into sector lba to dst. Returns 0 or E_IO. */
static int disk_read(u32 lba, u32 offset, void *dst, u32 len)
{
    if (!PLATFORM_GUEST)
        return floppy_read(lba, offset, dst, len);
    for (u32 done = 0, k; done < len; done += k) {
        k = len - done < HV_DISK_MAX ? len - done : HV_DISK_MAX;
        if ((i32)hv_call(HV_DISK_READ, lba, offset + done, (u32)dst + done, k, 0) < 0)
            return E_IO;
    }
    return 0;
}

/*
 * Stops the machine for good with the status of init (or -1 after a panic): Bochs's shutdown
 * port and QEMU's isa-debug-exit (exit status 1 for a clean halt, 3 after a panic), then a
 * halted CPU on real hardware. A guest ends its task instead: the parent's wait sees status.
 */
static void __attribute__((noreturn)) machine_off(int status, int failed)
{
    const char *s = "Shutdown";
    if (PLATFORM_GUEST)
        for (;;)
            hv_call(HV_EXIT, (u32)status, 0, 0, 0, 0);
    __asm__ volatile("cli");
    serial_flush();
    outb(QEMU_EXIT_PORT, failed ? 1 : 0);
    while (*s)
        outb(BOCHS_SHUTDOWN_PORT, (u8)*s++);
    for (;;)
        __asm__ volatile("cli; hlt");
}

/* --- bring-up and device interrupts --- */

static void serial_init(void);
static void serial_irq_start(void);
static void gdt_init(void);
static void idt_init(void);
static void pic_init(void);
static void timer_init(void);
static void pic_unmask(int irq);
static void pic_eoi(int irq);
static int pic_is_spurious(int irq);
static void keyboard_init(void);

static u32 boot_tsc;                    /* rdtsc's low half when boot.asm started */
static u32 bios_motors;                 /* the BIOS's floppy motor bits as it left them */
static void boot_sectors_keep(void);

/* The CPU's tables and the devices that need no memory, before anything prints: COM1, the GDT
 * and TSS, the IDT, the PICs. A guest notes its selectors and hands its handlers over. */
static void machine_init(struct boot_info *bi)
{
    if (PLATFORM_GUEST) {
        __asm__ volatile("mov %%cs, %0; mov %%ss, %1" : "=r"(guest_user_cs), "=r"(guest_user_ds));
        idt_init();
        return;
    }
    /* Page 0, read before paging leaves it unmapped (asm: gcc refuses such addresses). */
    __asm__ volatile("movl (%1), %0" : "=r"(boot_tsc) : "r"(BOOT_TSC_ADDR));
    __asm__ volatile("movzbl (%1), %0" : "=r"(bios_motors) : "r"(BDA_FLOPPY_MOTORS));
    if (bi->kept == BOOT_KEPT_MAGIC)
        boot_sectors_keep();            /* low memory too: the windows will cover it */
    serial_init();
    gdt_init();
    idt_init();
    pic_init();
}

/* The interrupt sources, once threads exist: the PIT at TIMER_HZ, COM1, the keyboard. The
 * hypervisor's timer and keys need nothing: they arrive once interrupts are on. */
static void devices_start(void)
{
    if (PLATFORM_GUEST)
        return;
    timer_init();
    pic_unmask(IRQ_COM1);
    serial_irq_start();
    keyboard_init();
    pic_unmask(IRQ_KEYBOARD);
}

static void timer_set_rate(u32 hz);

/* Sets the timer's rate to hz ticks a second (misbehave's fast timer): the PIT's; a guest's
 * virtual timer always ticks at GUEST_TIMER_HZ, so there it stays as it is. */
static void clock_set_rate(u32 hz)
{
    if (!PLATFORM_GUEST)
        timer_set_rate(hz);
}

/* Whether IRQ irq is a real request (the PIC's spurious IRQ 7 and 15 are not: section 10). */
static int irq_is_real(int irq) { return PLATFORM_GUEST || !pic_is_spurious(irq); }

/* The end of an IRQ's handling: the PIC's end-of-interrupt. */
static void irq_done(int irq)
{
    if (!PLATFORM_GUEST)
        pic_eoi(irq);
}

static int kbd_read_event(u32 *ev);

/* The keyboard interrupt's key event, if a whole key arrived: decoded from the 8042's scan
 * codes (section 11), or on the guest handed over whole as the delivery's error code. */
static int keyboard_event(struct trapframe *tf, u32 *ev)
{
    if (!PLATFORM_GUEST)
        return kbd_read_event(ev);
    *ev = tf->error_code;
    return 1;
}

/* --- trap handlers --- */

extern const u32 trap_stub_table[256];          /* entry.asm: one stub per vector */
static void idt_set(int vector, int trap_gate, int user_callable);

/* Installs entry.asm's stub for one vector: an IDT gate (a trap gate keeps interrupts on),
 * or a hypervisor slot, privileged unless user code may INT it. The hypervisor clears the
 * virtual IF for every delivery; guest_trap_entry turns it back on for system calls. */
static void trap_gate_set(int vector, int trap_gate, int user_callable)
{
    if (PLATFORM_GUEST)
        hv_call(HV_SETIDT, (u32)vector, trap_stub_table[vector], !user_callable, 0, 0);
    else
        idt_set(vector, trap_gate, user_callable);
}

/* What entry.asm's guest trap stub leaves on the stack (low to high): two spare words, ds es
 * fs gs, pusha, the vector, then the hypervisor's delivery frame (doc/syscalls.md 16). */
struct guest_raw_frame {
    u32 spare[2];
    u32 ds, es, fs, gs;
    u32 edi, esi, ebp, zero, ebx, edx, ecx, eax;
    u32 vector;
    u32 cr2, error_code, eip, marker, eflags;
    u32 esp;                            /* only when guest-user mode was interrupted */
};

void trap_dispatch(struct trapframe *tf);
void syscall_entry(struct trapframe *tf);

/*
 * The guest's trap entry from entry.asm: rewrites the raw frame, in place, into the struct
 * trapframe the PC's stubs build, ending where the delivery frame ends (for user mode: the top
 * of the kernel stack, where the rest of the kernel looks for it). A trap from user mode gets
 * the user selectors, one from kernel mode a ring-0 cs, so `cs & 3` says where it came from.
 * Then syscall_entry or trap_dispatch, as on the PC. Returns the frame, which entry.asm's
 * trap_return leaves by.
 */
struct trapframe *guest_trap_entry(struct guest_raw_frame *raw);
struct trapframe *guest_trap_entry(struct guest_raw_frame *raw)
{
    struct guest_raw_frame r = *raw;
    int from_user = r.marker == GUEST_FRAME_USER;
    u32 end = (u32)&raw->esp + (from_user ? 4 : 0);
    struct trapframe *tf = (struct trapframe *)(end - sizeof *tf + (from_user ? 0 : 8));
    guest_vif = 0;
    tf->cause = r.vector;
    tf->cr2 = r.cr2;
    tf->ds = r.ds, tf->es = r.es, tf->fs = r.fs, tf->gs = r.gs;
    tf->edi = r.edi, tf->esi = r.esi, tf->ebp = r.ebp, tf->zero = 0;
    tf->ebx = r.ebx, tf->edx = r.edx, tf->ecx = r.ecx, tf->eax = r.eax;
    tf->error_code = r.error_code;
    tf->eip = r.eip;
    tf->cs = from_user ? guest_user_cs : GDT_KERNEL_CS;
    tf->eflags = r.eflags;
    if (from_user) {
        tf->esp = r.esp;
        tf->ss = guest_user_ds;
    }
    if (from_user && tf->cause >= SYSCALL_FIRST && tf->cause <= SYSCALL_LAST) {
        interrupts_on();      /* system calls are preemptible, as on the PC */
        syscall_entry(tf);
    } else {
        trap_dispatch(tf);
    }
    return tf;
}

/*==== 7. Freestanding library ====*/
/* Memory and string functions, lists, a ring buffer, kernel printf, panic and assertions. */

static void *memset(void *dst, int c, size_t n)
{
    u32 word = 0x01010101u * (u8)c;
    void *d = dst;
    size_t words = n / 4, bytes = n % 4;
    __asm__ volatile("rep stosl" : "+D"(d), "+c"(words) : "a"(word) : "memory");
    __asm__ volatile("rep stosb" : "+D"(d), "+c"(bytes) : "a"(word) : "memory");
    return dst;
}

static void *memcpy(void *dst, const void *src, size_t n)
{
    void *d = dst;
    size_t words = n / 4, bytes = n % 4;
    __asm__ volatile("rep movsl" : "+D"(d), "+S"(src), "+c"(words) : : "memory");
    __asm__ volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(bytes) : : "memory");
    return dst;
}

static int __attribute__((unused)) memcmp(const void *a, const void *b, size_t n)
{
    const u8 *x = a, *y = b;
    for (; n; n--, x++, y++)
        if (*x != *y)
            return *x - *y;
    return 0;
}

static size_t strlen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

static int strcmp(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return (u8)*a - (u8)*b;
}

static int strncmp(const char *a, const char *b, size_t n)
{
    for (; n; n--, a++, b++) {
        if (*a != *b)
            return (u8)*a - (u8)*b;
        if (!*a)
            return 0;
    }
    return 0;
}

/* Copies at most size-1 characters and always terminates (when size > 0). */
static void strlcpy(char *dst, const char *src, size_t size)
{
    size_t i;
    if (!size)
        return;
    for (i = 0; i + 1 < size && src[i]; i++)
        dst[i] = src[i];
    dst[i] = 0;
}

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
static u32 round_up(u32 x, u32 align) { return (x + align - 1) & ~(align - 1); }
static u32 min_u32(u32 a, u32 b) { return a < b ? a : b; }
static u32 max_u32(u32 a, u32 b) { return a > b ? a : b; }

/* --- lists --- */
static void list_init(struct list *l) { l->next = l->prev = l; }
static int list_empty(const struct list *l) { return l->next == l; }

static void list_insert_before(struct list *pos, struct list *n)
{
    n->prev = pos->prev;
    n->next = pos;
    pos->prev->next = n;
    pos->prev = n;
}
static void list_push_back(struct list *l, struct list *n) { list_insert_before(l, n); }

static void list_remove(struct list *n)
{
    n->prev->next = n->next;
    n->next->prev = n->prev;
    n->next = n->prev = n;
}

static struct list *list_pop_front(struct list *l)
{
    struct list *n = l->next;
    if (n == l)
        return NULL;
    list_remove(n);
    return n;
}

/* --- kernel printf: %d %i %u %x %X %p %s %c %%, width, '-' and '0' flags, 'l' ignored --- */
struct outbuf {
    char *buf;
    size_t size, len;           /* len counts every character, even those that did not fit */
};

static void out_char(struct outbuf *o, char c)
{
    if (o->len + 1 < o->size)
        o->buf[o->len] = c;
    o->len++;
}

static void out_padded(struct outbuf *o, const char *s, size_t n, int width, int left, char pad)
{
    int fill = width > (int)n ? width - (int)n : 0;
    if (!left && pad == '0' && n && (*s == '-')) {     /* zero padding goes after the sign */
        out_char(o, *s++);
        n--;
    }
    while (!left && fill-- > 0)
        out_char(o, pad);
    while (n--)
        out_char(o, *s++);
    while (left && fill-- > 0)
        out_char(o, ' ');
}

static size_t format_unsigned(char *tmp, u32 v, unsigned base, int upper)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char rev[12];
    size_t n = 0, i;
    do {
        rev[n++] = digits[v % base];
        v /= base;
    } while (v);
    for (i = 0; i < n; i++)
        tmp[i] = rev[n - 1 - i];
    return n;
}

static int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct outbuf o = { buf, size, 0 };
    char tmp[16];
    for (; *fmt; fmt++) {
        int left = 0, width = 0;
        char pad = ' ';
        size_t n;
        if (*fmt != '%') {
            out_char(&o, *fmt);
            continue;
        }
        for (fmt++; *fmt == '-' || *fmt == '0'; fmt++)
            *fmt == '-' ? (left = 1) : (pad = '0');
        for (; *fmt >= '0' && *fmt <= '9'; fmt++)
            width = width * 10 + (*fmt - '0');
        while (*fmt == 'l')
            fmt++;
        switch (*fmt) {
        case 'd': case 'i': {
            int v = va_arg(ap, int);
            tmp[0] = '-';
            n = format_unsigned(tmp + (v < 0), v < 0 ? -(u32)v : (u32)v, 10, 0) + (v < 0);
            out_padded(&o, tmp, n, width, left, pad);
            break;
        }
        case 'u': case 'x': case 'X':
            n = format_unsigned(tmp, va_arg(ap, u32), *fmt == 'u' ? 10 : 16, *fmt == 'X');
            out_padded(&o, tmp, n, width, left, pad);
            break;
        case 'p':
            tmp[0] = '0', tmp[1] = 'x';
            n = 2 + format_unsigned(tmp + 2, (u32)va_arg(ap, void *), 16, 0);
            out_padded(&o, tmp, n, width, left, ' ');
            break;
        case 's': {
            const char *s = va_arg(ap, const char *);
            s = s ? s : "(null)";
            out_padded(&o, s, strlen(s), width, left, ' ');
            break;
        }
        case 'c':
            tmp[0] = (char)va_arg(ap, int);
            out_padded(&o, tmp, 1, width, left, ' ');
            break;
        case '%':
            out_char(&o, '%');
            break;
        default:                        /* unknown conversion: show it, do not guess */
            out_char(&o, '%');
            if (!*fmt)
                fmt--;
            else
                out_char(&o, *fmt);
        }
    }
    if (size)
        buf[o.len < size ? o.len : size - 1] = 0;
    return (int)o.len;
}

static int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

/*==== 8. Debug output: port 0xE9, COM1, halting the machine ====*/
/*
 * Everything the console shows is mirrored to the emulator's debug port 0xE9 (instant, no
 * interrupt) and to the COM1 UART. COM1 is driven by its transmit interrupt from a ring buffer,
 * so a printing thread never spins on the line speed; when the ring is full the printer blocks.
 * A panic bypasses the ring and polls the UART.
 */

#define COM1            0x3F8
#define UART_DATA       0           /* THR on write, RBR on read */
#define UART_IER        1           /* interrupt enable: bit 0 received data, bit 1 THR empty */
#define IER_RX          0x01
#define IER_TX          0x02
#define UART_IIR        2           /* interrupt identification (read) / FIFO control (write) */
#define UART_LCR        3
#define UART_MCR        4
#define UART_LSR        5           /* bit 0 data ready, bit 5 THR empty, bit 6 all sent */
#define LSR_DATA_READY  0x01
#define LSR_THR_EMPTY   0x20
#define LSR_IDLE        0x40
#define UART_FIFO_SIZE  16          /* bytes the 16550's transmit FIFO holds */

static struct {
    char buf[SERIAL_RING_SIZE];
    u32 head, tail;             /* bytes head..tail-1 wait to be sent; indexes grow forever */
    int sending;                /* THR-empty interrupts are on: the next one sends more */
    struct waitq space;         /* printers waiting for room */
} serial;

static void serial_init(void)
{
    outb(COM1 + UART_IER, 0);           /* no interrupts while we program it */
    outb(COM1 + UART_LCR, 0x80);        /* DLAB on: the next two registers are the divisor */
    outb(COM1 + UART_DATA, 1);          /* 115200 / 1 = 115200 baud */
    outb(COM1 + 1, 0);
    outb(COM1 + UART_LCR, 0x03);        /* 8 data bits, no parity, one stop bit; DLAB off */
    outb(COM1 + UART_IIR, 0x07);        /* enable and clear the FIFOs */
    outb(COM1 + UART_MCR, 0x0B);        /* DTR, RTS, and OUT2, which gates the IRQ line */
    list_init(&serial.space.threads);
}

/* Bounded poll for the transmitter (used only when nothing may block: panic and power-off). */
static void serial_poll_put(char c)
{
    for (int i = 0; i < 100000 && !(inb(COM1 + UART_LSR) & LSR_THR_EMPTY); i++)
        ;
    outb(COM1 + UART_DATA, (u8)c);
}

/*
 * Hands the UART the next queued bytes: if its transmit FIFO is empty (THR empty), as many as
 * it holds. The THR-empty interrupt is on only while bytes are left over, so a print that fits
 * the FIFO, the usual case, costs no interrupt. From the interrupt, or from outside it only
 * while that interrupt is off (`sending` clear): a write to THR drops a pending THR-empty
 * request, and one raised and dropped before the CPU takes it is a spurious IRQ 7 (in Bochs).
 * Interrupts off.
 */
static void serial_kick(void)
{
    u32 at = serial.head % SERIAL_RING_SIZE, k;
    int more;
    if (inb(COM1 + UART_LSR) & LSR_THR_EMPTY) {
        k = min_u32(serial.tail - serial.head, UART_FIFO_SIZE);
        k = min_u32(k, SERIAL_RING_SIZE - at);  /* up to the ring's end; the rest next time */
        outsb(COM1 + UART_DATA, &serial.buf[at], k);
        serial.head += k;
    }
    more = serial.head != serial.tail;
    if (more != serial.sending) {       /* (enabling it with the FIFO empty raises it now) */
        serial.sending = more;
        outb(COM1 + UART_IER, more ? IER_RX | IER_TX : IER_RX);
    }
}

/*
 * Turns on COM1's interrupts once the PIC is programmed. The PIC's inputs are edge-triggered:
 * a UART interrupt raised before (the boot banner's first byte) left the line high with no edge
 * the PIC will ever see, so clear everything pending first, then restart the transmitter.
 */
static void serial_irq_start(void)
{
    u32 was_on = irq_save();
    outb(COM1 + UART_IER, IER_RX);      /* received data; THR empty when serial_kick wants it */
    (void)inb(COM1 + UART_IIR);
    (void)inb(COM1 + UART_LSR);
    (void)inb(COM1 + UART_DATA);
    serial.sending = 0;
    serial_kick();
    irq_restore(was_on);
}

static int panicking;
static int scheduler_running;
static void thread_block(struct waitq *q);
static void waitq_wake_all(struct waitq *q);

/* Queues n bytes for COM1, at most SERIAL_CHUNK at a time with interrupts off, each piece one
 * memcpy (as much as the ring has room for before its end), or hands them to the UART itself
 * when it is idle (see serial_kick); blocks while the ring is full (or polls, if it may not
 * block: panics, and before threads exist). */
static void serial_write(const char *s, size_t n)
{
    while (n) {
        u32 k = min_u32((u32)n, SERIAL_CHUNK), at;
        u32 was_on = irq_save();
        if (panicking) {
            for (u32 i = 0; i < k; i++)
                serial_poll_put(s[i]);
        } else if (!serial.sending && serial.head == serial.tail
                   && (inb(COM1 + UART_LSR) & LSR_THR_EMPTY)) {
            k = min_u32(k, UART_FIFO_SIZE);     /* an idle UART: straight into its FIFO */
            outsb(COM1 + UART_DATA, s, k);
        } else {
            while (serial.tail - serial.head == SERIAL_RING_SIZE) {
                if (was_on && scheduler_running)
                    thread_block(&serial.space);
                else
                    serial_poll_put(serial.buf[serial.head++ % SERIAL_RING_SIZE]);
            }
            at = serial.tail % SERIAL_RING_SIZE;
            k = min_u32(k, SERIAL_RING_SIZE - (serial.tail - serial.head));    /* room */
            k = min_u32(k, SERIAL_RING_SIZE - at);                              /* no wrap */
            memcpy(&serial.buf[at], s, k);
            serial.tail += k;
            if (!serial.sending)
                serial_kick();
        }
        irq_restore(was_on);
        s += k;
        n -= k;
    }
}

static void serial_input_byte(u8 b);

/*
 * IRQ 4: the transmitter wants another byte, or a byte arrived. Loops until the UART has
 * nothing pending, so its interrupt line drops and the next request makes a fresh edge.
 */
static void serial_irq(void)
{
    u8 iir;
    while (!((iir = inb(COM1 + UART_IIR)) & 0x01)) {    /* bit 0 clear: something pending */
        while (inb(COM1 + UART_LSR) & LSR_DATA_READY)
            serial_input_byte(inb(COM1 + UART_DATA));
        if ((iir & 0x0E) == 0x02)       /* THR empty (reading IIR acknowledged it) */
            serial_kick();
    }
    if (serial.tail - serial.head < SERIAL_RING_SIZE / 2)
        waitq_wake_all(&serial.space);
}

/* Sends every queued byte by polling; the last step before power-off. Interrupts off. */
static void serial_flush(void)
{
    while (serial.head != serial.tail)
        serial_poll_put(serial.buf[serial.head++ % SERIAL_RING_SIZE]);
    for (int i = 0; i < 100000 && !(inb(COM1 + UART_LSR) & LSR_IDLE); i++)
        ;
}

/*==== 9. Console (VGA text mode) and virtual consoles ====*/
/*
 * Up to CONSOLE_MAX virtual consoles share the 80x25 VGA text screen, where each cell is a
 * character byte and a colour byte. Each console draws on its `screen`: VGA memory while it
 * is in front, its own image while it is not; bringing another console forward copies the
 * screen into the old one's image and the new one's image onto the screen, and swaps the two
 * pointers. So drawing never needs to know which console is in front, and output to a
 * background console is kept and never waits.
 *
 * console_write is the one output path: it draws, moves the hardware cursor (CRTC registers
 * 14/15) once per call, and mirrors every byte of every console to port 0xE9 and COM1. A
 * console's out_lock keeps whole prints apart. Alt+Fn brings a console forward from the
 * keyboard interrupt, so drawing runs with interrupts off, a bounded chunk at a time: the
 * `screen` pointer can never change under a half-drawn character or a half-done scroll.
 *
 * Lifetime: each task on a console holds a reference, and so does each system call using it;
 * the last one out frees it (console 1, where init and the kernel's messages go, stays), and
 * if it was in front console 1 comes forward.
 */

#define COLOR_DEFAULT   0x07        /* light grey on black */
#define TAB_WIDTH       8
#define DRAW_CHUNK      64          /* characters drawn per interrupts-off stretch */

static struct console consoles[CONSOLE_MAX];
static struct console *front = &consoles[0];    /* the one on the screen, receiving keys */

static void mutex_init(struct mutex *m, const char *name, int order);
static void mutex_lock(struct mutex *m);
static void mutex_unlock(struct mutex *m);
static void waitq_init(struct waitq *q);

/* Shows c's drawing and cursor, if c is in front (which alone owns them). Interrupts off. */
static void console_sync_cursor(struct console *c)
{
    if (c == front)
        screen_update(c->row * CONSOLE_COLS + c->col);
}

static u16 console_cell(struct console *c, char ch) { return (u16)(c->color << 8 | (u8)ch); }

static void console_clear_row(struct console *c, int row)
{
    for (int col = 0; col < CONSOLE_COLS; col++)
        c->screen[row * CONSOLE_COLS + col] = console_cell(c, ' ');
}

/* Moves the text up one row: one copy of the screen, once per line that scrolls off. */
static void console_scroll(struct console *c)
{
    memcpy(c->screen, c->screen + CONSOLE_COLS, (CONSOLE_ROWS - 1) * CONSOLE_COLS * 2);
    console_clear_row(c, CONSOLE_ROWS - 1);
    c->row = CONSOLE_ROWS - 1;
}

/* Draws one character: '\n' new line, '\r' column 0, '\b' back one column erasing (not past
 * column 0), '\t' spaces to the next multiple of TAB_WIDTH. Interrupts off. */
static void console_draw_char(struct console *c, char ch)
{
    switch (ch) {
    case '\n':
        c->col = 0;
        c->row++;
        break;
    case '\r':
        c->col = 0;
        break;
    case '\b':
        if (c->col > 0)
            c->screen[c->row * CONSOLE_COLS + --c->col] = console_cell(c, ' ');
        break;
    case '\t':
        do
            console_draw_char(c, ' ');
        while (c->col % TAB_WIDTH && c->col);
        return;
    default:
        c->screen[c->row * CONSOLE_COLS + c->col] = console_cell(c, ch);
        if (++c->col == CONSOLE_COLS) {
            c->col = 0;
            c->row++;
        }
    }
    if (c->row == CONSOLE_ROWS)
        console_scroll(c);
}

/* Draws the plain characters (each one cell: no control character) at the start of s that
 * fit before the row's last column, which is most text, without console_draw_char's tests;
 * returns how many. The last column is left to console_draw_char: it wraps. Interrupts off. */
static size_t console_draw_plain(struct console *c, const char *s, size_t n)
{
    const u8 *p = (const u8 *)s, *end = p + min_u32((u32)n, (u32)(CONSOLE_COLS - 1 - c->col));
    u16 *cell = &c->screen[c->row * CONSOLE_COLS + c->col], color = (u16)(c->color << 8);
    while (p < end && *p >= ' ')
        *cell++ = color | *p++;
    c->col += (int)(p - (const u8 *)s);
    return (size_t)(p - (const u8 *)s);
}

/* Draws n characters, DRAW_CHUNK at a time with interrupts off (see the section comment), and
 * shows the cursor where they end. */
static void console_draw(struct console *c, const char *s, size_t n)
{
    do {
        size_t k = n < DRAW_CHUNK ? n : DRAW_CHUNK;
        u32 was_on = irq_save();
        for (size_t i = 0; i < k; i++) {
            i += console_draw_plain(c, s + i, k - i);
            if (i < k)
                console_draw_char(c, s[i]);     /* a control character, or the last column */
        }
        if (k == n)
            console_sync_cursor(c);
        irq_restore(was_on);
        s += k;
        n -= k;
    } while (n);
}

/* Erases the n cells before the cursor, back over row starts (the echo of a line that wrapped)
 * but not above the top row, and leaves the cursor on the first of them; the debug log gets
 * a '\b' for each. What readline's Backspace uses: a plain '\b' stops at column 0. */
static void console_erase(struct console *c, int n)
{
    static const char back[TAB_WIDTH] = "\b\b\b\b\b\b\b\b";
    u32 was_on;
    mutex_lock(&c->out_lock);
    was_on = irq_save();
    for (int i = 0; i < n && (c->row > 0 || c->col > 0); i++) {
        if (c->col == 0) {
            c->row--;
            c->col = CONSOLE_COLS;
        }
        c->screen[c->row * CONSOLE_COLS + --c->col] = console_cell(c, ' ');
    }
    console_sync_cursor(c);
    irq_restore(was_on);
    debug_write(back, min_u32((u32)n, sizeof back));
    mutex_unlock(&c->out_lock);
}

/* Brings c to the front: the screen goes into the old front's image, c's image onto the
 * screen. About 2000 word moves each way. Interrupts off (the keyboard interrupt calls it). */
static void console_show(struct console *c)
{
    if (c == front)
        return;
    memcpy(front->image, screen_cells, sizeof front->image);
    front->screen = front->image;
    memcpy(screen_cells, c->image, sizeof c->image);
    c->screen = screen_cells;
    front = c;
    console_sync_cursor(c);
}

/* Makes slot c a fresh console numbered `number`, held once, drawing on its own image. */
static void console_setup(struct console *c, int number)
{
    memset(c, 0, sizeof *c);
    c->number = number;
    c->refs = 1;
    c->color = COLOR_DEFAULT;
    c->screen = c->image;
    mutex_init(&c->out_lock, "console", LOCK_CONSOLE);
    mutex_init(&c->read_lock, "console input", LOCK_CONSOLE_INPUT);
    waitq_init(&c->key_wait);
    for (int r = 0; r < CONSOLE_ROWS; r++)
        console_clear_row(c, r);
}

/* Console 1, in front and cleared, before anything prints. */
static void console_init(void)
{
    console_setup(&consoles[0], 1);
    memcpy(screen_cells, consoles[0].image, sizeof consoles[0].image);
    consoles[0].screen = screen_cells;
    console_sync_cursor(&consoles[0]);
}

/* A new console, held once and brought to the front; NULL when all are in use. */
static struct console *console_new(void)
{
    struct console *c = NULL;
    u32 was_on = irq_save();            /* bounded: one image cleared, two copied */
    for (int i = 1; i < CONSOLE_MAX && !c; i++)
        if (consoles[i].number == 0) {
            c = &consoles[i];
            console_setup(c, i + 1);
            console_show(c);
        }
    irq_restore(was_on);
    return c;
}

static struct thread *current;          /* the running thread (section 18) */

/* The console that output of the running thread goes to: its task's; console 1 for kernel
 * threads; whichever is in front during a panic, so that the report is seen. */
static struct console *console_current(void)
{
    if (panicking || !current || !current->task || !current->task->console)
        return panicking ? front : &consoles[0];
    return current->task->console;
}

/* Takes a reference to the caller's console, so that it outlives the system call. */
static struct console *console_hold(void)
{
    u32 was_on = irq_save();
    struct console *c = console_current();
    c->refs++;
    irq_restore(was_on);
    return c;
}

/* Drops a reference; the last one frees the console (never console 1). */
static void console_release(struct console *c)
{
    u32 was_on = irq_save();
    if (--c->refs == 0 && c != &consoles[0]) {
        if (c == front)
            console_show(&consoles[0]);
        c->number = 0;
    }
    irq_restore(was_on);
}

/* Whether the caller may block: threads exist, interrupts are on, and we are not panicking. */
static int can_block(void)
{
    return scheduler_running && !panicking && interrupts_enabled();
}

/* Writes n bytes to console c and the debug log; the caller holds c->out_lock. */
static void console_write_locked(struct console *c, const char *s, size_t n)
{
    console_draw(c, s, n);
    debug_write(s, n);
}

/* Writes n bytes as one piece: nothing else is printed on c in between. */
static void console_write(struct console *c, const char *s, size_t n)
{
    int locked = can_block();
    if (locked)
        mutex_lock(&c->out_lock);
    console_write_locked(c, s, n);
    if (locked)
        mutex_unlock(&c->out_lock);
}

/* The console calls of programs (syscalls 7) and of guests (section 22), one of each. Row and
 * column are checked by the caller. */
static void console_set_color(struct console *c, u8 color)
{
    mutex_lock(&c->out_lock);
    c->color = color;
    mutex_unlock(&c->out_lock);
}

static void console_set_cursor(struct console *c, int row, int col)
{
    u32 was_on;
    mutex_lock(&c->out_lock);
    was_on = irq_save();
    c->row = row;
    c->col = col;
    console_sync_cursor(c);
    irq_restore(was_on);
    mutex_unlock(&c->out_lock);
}

static void console_get_cursor(struct console *c, i32 pos[2])
{
    mutex_lock(&c->out_lock);
    pos[0] = c->row;
    pos[1] = c->col;
    mutex_unlock(&c->out_lock);
}

/* Puts n bytes as they are (no control characters: a byte is a cell) at (row, col) onward in
 * `color`, leaving the cursor and colour alone; what would pass the screen's last cell is
 * dropped, so nothing scrolls. In DRAW_CHUNK pieces with interrupts off (section comment). */
static void console_write_at(struct console *c, const char *s, size_t n, int row, int col,
                             u8 color)
{
    u32 pos = (u32)(row * CONSOLE_COLS + col), was_on;
    n = min_u32((u32)n, CONSOLE_ROWS * CONSOLE_COLS - pos);
    mutex_lock(&c->out_lock);
    while (n) {
        u32 k = min_u32((u32)n, DRAW_CHUNK);
        was_on = irq_save();
        for (u32 i = 0; i < k; i++)
            c->screen[pos + i] = (u16)(color << 8 | (u8)s[i]);
        console_sync_cursor(c);
        irq_restore(was_on);
        s += k;
        pos += k;
        n -= k;
    }
    mutex_unlock(&c->out_lock);
}

/* The kernel's messages, on the running thread's console: held meanwhile, as a system call
 * holds it, since another thread of the task may move the task to a new console (and free
 * this one) at any time. */
static int printf(const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    struct console *c;
    int n;
    va_start(ap, fmt);
    n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (panicking || !scheduler_running) {
        console_write(console_current(), buf, min_u32((u32)n, sizeof buf - 1));
        return n;
    }
    c = console_hold();
    console_write(c, buf, min_u32((u32)n, sizeof buf - 1));
    console_release(c);
    return n;
}

static void __attribute__((noreturn)) panic_report(const char *why, struct trapframe *tf);

/* Stops the kernel with a report: for conditions that must never happen. */
#define panic(...) do {                                                 \
        char panic_msg_[160];                                           \
        snprintf(panic_msg_, sizeof panic_msg_, __VA_ARGS__);           \
        panic_report(panic_msg_, NULL);                                 \
    } while (0)
#define assert(cond) do {                                               \
        if (!(cond))                                                    \
            panic("assertion failed: %s (%s:%d)", #cond, __FILE__, __LINE__); \
    } while (0)

/*==== 10. PIC and timer ====*/
/*
 * Two 8259A PICs, remapped so IRQ 0..15 arrive as vectors 0x20..0x2F (the CPU's exceptions
 * own 0..31). Each IRQ stays masked until its driver unmasks it. The 8253 PIT channel 0 ticks at
 * timer_hz; every tick counts, wakes sleepers that are due and may preempt.
 */

#define PIC1_CMD    0x20
#define PIC1_DATA   0x21
#define PIC2_CMD    0xA0
#define PIC2_DATA   0xA1
#define PIC_EOI     0x20
#define PIC_READ_ISR 0x0B
#define PIT_CH0     0x40
#define PIT_CMD     0x43
#define PIT_HZ      1193182u        /* the PIT's input clock */

static u16 pic_mask = 0xFFFF;       /* bit n set: IRQ n masked */
static volatile u32 ticks;          /* timer interrupts since boot */
static u32 timer_hz = TIMER_HZ;
static u32 rate_ticks;              /* ticks since the timer's rate was last set */
static u32 first_tick_tsc;          /* rdtsc's low half at the first of those, and the last */
static u32 last_tick_tsc;
static u32 spurious_irqs;
static u32 misbehave_mode;          /* MISBEHAVE_* bits */

static void pic_write_mask(void)
{
    outb(PIC1_DATA, pic_mask & 0xFF);
    outb(PIC2_DATA, pic_mask >> 8);
}

static void pic_init(void)
{
    outb(PIC1_CMD, 0x11); io_wait();    /* ICW1: edge triggered, cascade, ICW4 follows */
    outb(PIC2_CMD, 0x11); io_wait();
    outb(PIC1_DATA, IRQ_BASE); io_wait();       /* ICW2: vector base */
    outb(PIC2_DATA, IRQ_BASE + 8); io_wait();
    outb(PIC1_DATA, 1 << 2); io_wait();         /* ICW3: slave on IRQ 2 */
    outb(PIC2_DATA, 2); io_wait();              /* ICW3: slave's cascade identity */
    outb(PIC1_DATA, 0x01); io_wait();           /* ICW4: 8086 mode */
    outb(PIC2_DATA, 0x01); io_wait();
    pic_mask = (u16)~(1u << 2);                 /* everything masked but the cascade */
    pic_write_mask();
}

static void pic_unmask(int irq)
{
    u32 was_on = irq_save();
    pic_mask &= (u16)~(1u << irq);
    pic_write_mask();
    irq_restore(was_on);
}

static void pic_eoi(int irq)
{
    if (irq >= 8)
        outb(PIC2_CMD, PIC_EOI);
    outb(PIC1_CMD, PIC_EOI);
}

/* IRQ 7 and 15 also arrive when a request vanished before it was acknowledged ("spurious"):
 * then the PIC's in-service bit is clear, and no EOI is owed (but the master's, for 15). */
static int pic_is_spurious(int irq)
{
    if (irq != 7 && irq != 15)
        return 0;
    outb(irq == 7 ? PIC1_CMD : PIC2_CMD, PIC_READ_ISR);
    if (inb(irq == 7 ? PIC1_CMD : PIC2_CMD) & 0x80)
        return 0;
    if (irq == 15)
        outb(PIC1_CMD, PIC_EOI);
    spurious_irqs++;
    return 1;
}

/* Programs PIT channel 0 as a rate generator at hz interrupts per second. */
static void timer_set_rate(u32 hz)
{
    u32 divisor = PIT_HZ / hz;
    u32 was_on = irq_save();
    timer_hz = hz;
    rate_ticks = 0;                     /* boot_cycles measures at one rate */
    outb(PIT_CMD, 0x34);                /* channel 0, low then high byte, mode 2 */
    outb(PIT_CH0, divisor & 0xFF);
    outb(PIT_CH0, divisor >> 8);
    irq_restore(was_on);
}

static void sleepers_wake_due(void);
static void floppy_tick(void);
static u32 slice_ticks;             /* ticks since the running thread was switched to */

/* What the way out of a trap must do besides a kill (trap_exit_due): one word, so that the
 * usual answer, nothing, is one test. */
#define EXIT_PREEMPT        1       /* the time slice is over (timer_irq) */
#define EXIT_YIELD          2       /* misbehave: yield at every system-call exit */
static u32 exit_work;

/*
 * IRQ 0. Runs with interrupts off; the reschedule itself happens on the way out of the trap.
 * A thread is preempted only after QUANTUM_TICKS whole ticks: a tick that arrives just after a
 * switch (it was pending during it) does not count, or the new thread might not run at all.
 */
static void timer_irq(void)
{
    ticks++;
    last_tick_tsc = (u32)rdtsc();       /* the clock boot_cycles reads by */
    if (rate_ticks++ == 0)
        first_tick_tsc = last_tick_tsc;
    sleepers_wake_due();
    floppy_tick();
    if (++slice_ticks > QUANTUM_TICKS)
        exit_work |= EXIT_PREEMPT;
}

static void timer_init(void)
{
    timer_set_rate(TIMER_HZ);
    pic_unmask(IRQ_TIMER);
}

/* Converts milliseconds to ticks at the current rate, rounding up. */
static u32 ms_to_ticks(u32 ms) { return (ms * timer_hz + 999) / 1000; }

/*==== 11. Keyboard, serial input and the line discipline ====*/
/*
 * Two sources type into the console in front: the PS/2 keyboard (IRQ 1) and COM1 (IRQ 4).
 *
 * The keyboard controller hands over scan code set 1 (the BIOS leaves translation on): one
 * byte per interrupt; a make code for a press, the same code | 0x80 for a release; 0xE0 before
 * the extended keys (arrows, right ctrl and alt, keypad Enter and /, Home, End, Delete ...);
 * 0xE1 and five more bytes for Pause. The driver turns each key into a key event, the 32-bit
 * word of syscalls 11 (character with modifiers, unshifted character, press/keypad/valid flags,
 * modifier state), which the hypervisor will also hand to guests; a press that means a
 * character gives that character to the front console. Alt+F1..F8 bring a console forward.
 *
 * COM1 bytes go to the same place, '\r' read as '\n', DEL (0x7F) as backspace, and a
 * terminal's arrow keys (ESC [ A..D) as the keyboard's arrow characters.
 *
 * The line discipline (syscalls 11) runs in the reader's thread, not in the interrupt: the
 * interrupt only stores the character in the console's ring (dropping and counting it when
 * the ring is full) and wakes the reader. The reader holding the turn either takes characters
 * raw (getchar) or edits a line with them (readline: echo, backspace), so echo happens exactly
 * while a readline waits. Characters typed while nobody reads wait in the ring. Readers take
 * turns through the console's read_lock, a mutex (first come first served) they may give up
 * waiting for when killed.
 */

#define KBD_DATA        0x60
#define KBD_STATUS      0x64
#define KBD_OUTPUT_FULL 0x01
#define KBD_FROM_MOUSE  0x20
#define KBD_CODES       0x59        /* set-1 make codes 0x00..0x58 */

/* Characters beyond ASCII, and the key event's bits (syscalls 11). */
#define KEY_UNKNOWN     0x80
#define KEY_UP          0x81
#define KEY_LEFT        0x82
#define KEY_DOWN        0x83
#define KEY_RIGHT       0x84
#define KEY_LALT        0x85
#define KEY_RALT        0x86
#define KEY_LCTRL       0x87
#define KEY_RCTRL       0x88
#define KEY_LSHIFT      0x89
#define KEY_RSHIFT      0x8A
#define KEY_CAPSLOCK    0x8B
#define KEY_NUMLOCK     0x8C
#define KEY_F1          0x8D        /* .. F12 0x98 */
#define KEY_PAUSE       0x99
#define KEY_PRINTSCREEN 0x9A
#define KEY_DELETE      0x7F
#define KEV_PRESS       0x1
#define KEV_KEYPAD      0x2
#define KEV_CHAR_VALID  0x4
#define KEV_RAW_VALID   0x8
#define MOD_LSHIFT      0x80
#define MOD_RSHIFT      0x40
#define MOD_LCTRL       0x20
#define MOD_RCTRL       0x10
#define MOD_LALT        0x08
#define MOD_RALT        0x04
#define MOD_CAPSLOCK    0x02
#define MOD_NUMLOCK     0x01

/* Make code -> character (0: the key has none), without and with shift. The keypad's
 * numbered keys give kbd_plain's digit with num lock on, kbd_keypad_nav's key with it off. */
static u8 kbd_plain[KBD_CODES], kbd_shifted[KBD_CODES], kbd_keypad_nav[KBD_CODES];

static struct {
    u8 mods;                    /* MOD_* bits */
    u8 prefix;                  /* 0xE0 when the previous byte announced an extended key */
    int pause_left;             /* bytes of the 0xE1 Pause sequence still to swallow */
    int lock_down;              /* caps/num lock held: auto-repeat must not toggle again */
} kbd;

static void kbd_map(u8 code, const char *plain, const char *shifted)
{
    for (; *plain; code++, plain++, shifted++) {
        kbd_plain[code] = (u8)*plain;
        kbd_shifted[code] = (u8)*shifted;
    }
}

static void kbd_leds_update(void);

/* The US layout, row by row; then Num Lock's light. */
static void keyboard_init(void)
{
    static const char keypad_nav[] = { 0, KEY_UP, 0, '-', KEY_LEFT, 0, KEY_RIGHT, '+',
                                       0, KEY_DOWN, 0, 0, KEY_DELETE };
    kbd_map(0x01, "\x1b" "1234567890-=\b\t", "\x1b" "!@#$%^&*()_+\b\t");
    kbd_map(0x10, "qwertyuiop[]\n", "QWERTYUIOP{}\n");
    kbd_map(0x1E, "asdfghjkl;'`", "ASDFGHJKL:\"~");
    kbd_map(0x2B, "\\zxcvbnm,./", "|ZXCVBNM<>?");
    kbd_map(0x37, "*", "*");                                    /* keypad * */
    kbd_map(0x39, " ", " ");
    kbd_map(0x47, "789-456+1230.", "789-456+1230.");            /* keypad, num lock on */
    memcpy(&kbd_keypad_nav[0x47], keypad_nav, sizeof keypad_nav);
    kbd_map(0x1D, "\x87", "\x87");
    kbd_map(0x2A, "\x89", "\x89");
    kbd_map(0x36, "\x8a", "\x8a");
    kbd_map(0x38, "\x85", "\x85");
    kbd_map(0x3A, "\x8b", "\x8b");
    kbd_map(0x45, "\x8c", "\x8c");
    for (int f = 0; f < 10; f++)                                /* F1..F10 */
        kbd_plain[0x3B + f] = kbd_shifted[0x3B + f] = (u8)(KEY_F1 + f);
    kbd_plain[0x57] = kbd_shifted[0x57] = KEY_F1 + 10;          /* F11, F12 */
    kbd_plain[0x58] = kbd_shifted[0x58] = KEY_F1 + 11;
    kbd.mods = MOD_NUMLOCK;             /* the keypad types digits until Num Lock is pressed */
    while (inb(KBD_STATUS) & KBD_OUTPUT_FULL)                   /* whatever the BIOS left */
        (void)inb(KBD_DATA);
    kbd_leds_update();                  /* Num Lock's light; the answers come with IRQ 1 */
}

/* The character of an extended (0xE0) key; 0 if it has none; -1 if it is no key at all. */
static int kbd_extended_char(u8 code)
{
    switch (code) {
    case 0x1C: return '\n';                     /* keypad Enter */
    case 0x35: return '/';                      /* keypad / */
    case 0x1D: return KEY_RCTRL;
    case 0x38: return KEY_RALT;
    case 0x48: return KEY_UP;
    case 0x4B: return KEY_LEFT;
    case 0x50: return KEY_DOWN;
    case 0x4D: return KEY_RIGHT;
    case 0x53: return KEY_DELETE;
    case 0x37: return KEY_PRINTSCREEN;
    case 0x47: case 0x4F: case 0x49: case 0x51: case 0x52:
        return 0;                               /* Home, End, Page Up/Down, Insert */
    default: return -1;                         /* the "fake shifts" around them, and others */
    }
}

/* Updates the modifier state for a modifier key; 1 if the key was one. */
static int kbd_track_modifier(u8 key, int press)
{
    static const u8 keys[] = { KEY_LSHIFT, KEY_RSHIFT, KEY_LCTRL, KEY_RCTRL, KEY_LALT,
                               KEY_RALT };
    static const u8 bits[] = { MOD_LSHIFT, MOD_RSHIFT, MOD_LCTRL, MOD_RCTRL, MOD_LALT,
                               MOD_RALT };
    for (u32 i = 0; i < sizeof keys; i++)
        if (key == keys[i]) {
            kbd.mods = press ? kbd.mods | bits[i] : kbd.mods & ~bits[i];
            return 1;
        }
    if (key == KEY_CAPSLOCK || key == KEY_NUMLOCK) {
        u8 bit = key == KEY_CAPSLOCK ? MOD_CAPSLOCK : MOD_NUMLOCK;
        if (press && !(kbd.lock_down & bit))
            kbd.mods ^= bit;
        kbd.lock_down = press ? kbd.lock_down | bit : kbd.lock_down & ~bit;
        return 1;
    }
    return 0;
}

/* The character a key means with the current modifiers: shift (inverted by caps lock for
 * letters), then ctrl, which makes a letter its control character. */
static u8 kbd_apply_modifiers(u8 plain, u8 shifted)
{
    int shift = (kbd.mods & (MOD_LSHIFT | MOD_RSHIFT)) != 0;
    u8 c = shift ? shifted : plain;
    if ((kbd.mods & MOD_CAPSLOCK) && plain >= 'a' && plain <= 'z')
        c = shift ? plain : shifted;
    if ((kbd.mods & (MOD_LCTRL | MOD_RCTRL)) && ((c >= 'a' && c <= 'z') || (c >= '@' && c <= '_')))
        c &= 0x1F;
    return c;
}

/* Builds the event of syscalls 11 for a key whose characters are known (0: none). */
static u32 key_event(u8 c, u8 raw, int press, int keypad)
{
    u32 flags = (press ? KEV_PRESS : 0) | (keypad ? KEV_KEYPAD : 0)
              | (c ? KEV_CHAR_VALID : 0) | (raw ? KEV_RAW_VALID : 0);
    return c | (u32)raw << 8 | flags << 16 | (u32)kbd.mods << 24;
}

/* The character a key event gives a reader, or 0: presses of ASCII keys and arrows only. */
static u8 key_event_char(u32 ev)
{
    u8 c = ev & 0xFF;
    if (!(ev & (KEV_PRESS << 16)) || !(ev & (KEV_CHAR_VALID << 16)))
        return 0;
    return c < KEY_UNKNOWN || (c >= KEY_UP && c <= KEY_RIGHT) ? c : 0;
}

static void console_input(struct console *c, u8 ch);
static void guest_key(struct guest *g, u32 ev);
static void waitq_wake_one(struct waitq *q);
static void thread_wake(struct thread *t);

/* A finished key event: Alt+F1..F8 switches consoles; the rest goes to the console in front:
 * the event to its guest if one runs there, else the character, if any, to its readers. With
 * Ctrl too, a guest in front gets the switch key, for consoles of its own. */
static void key_event_deliver(u32 ev)
{
    u8 c = ev & 0xFF, ch, mods = (u8)(ev >> 24);
    int alt = (mods & (MOD_LALT | MOD_RALT)) != 0, ctrl = (mods & (MOD_LCTRL | MOD_RCTRL)) != 0;
    if ((ev & (KEV_PRESS << 16)) && alt && c >= KEY_F1 && c < KEY_F1 + CONSOLE_MAX
        && !(ctrl && front->guest)) {
        struct console *to = &consoles[c - KEY_F1];
        if (to->number)
            console_show(to);
        return;
    }
    if (front->guest)
        guest_key(front->guest, ev);    /* a guest takes every key event, as it is */
    else if ((ch = key_event_char(ev)))
        console_input(front, ch);
}

/* Decodes one byte from the controller: follows the prefixes and, once a key is complete,
 * stores its event in *ev and returns 1. Bytes that are no key (acknowledgements, unknown or
 * half-received codes) give nothing and leave no state behind. */
static int kbd_decode(u8 b, u32 *ev)
{
    u8 code = b & 0x7F, plain, shifted;
    int press = !(b & 0x80), keypad;
    if (kbd.pause_left) {                       /* E1 1D 45 E1 9D C5: one Pause press */
        kbd.pause_left--;
        return 0;
    }
    if (b == 0xE1) {
        kbd.pause_left = 5;
        kbd.prefix = 0;
        *ev = key_event(KEY_PAUSE, KEY_PAUSE, 1, 0);
        return 1;
    }
    if (b == 0xE0) {
        kbd.prefix = b;
        return 0;
    }
    if (kbd.prefix == 0xE0) {
        int c = kbd_extended_char(code);
        kbd.prefix = 0;
        if (c < 0)
            return 0;
        plain = shifted = (u8)c;
        keypad = code == 0x1C || code == 0x35;
    } else {
        if (code >= KBD_CODES || b == 0xFA || b == 0xFE || b == 0x00 || b == 0xFF)
            return 0;
        keypad = code >= 0x47 && code <= 0x53 ? 1 : code == 0x37;
        plain = kbd_plain[code];
        shifted = kbd_shifted[code];
        if (keypad && code != 0x37 && !(kbd.mods & MOD_NUMLOCK))
            plain = shifted = kbd_keypad_nav[code];
        if (!plain && !keypad)
            return 0;                           /* Scroll Lock, and holes in the table */
    }
    if (kbd_track_modifier(plain, press))
        *ev = key_event(plain, plain, press, 0);
    else
        *ev = key_event(kbd_apply_modifiers(plain, shifted), plain, press, keypad);
    return 1;
}

/* --- the keyboard's lights --- */

/* Caps Lock and Num Lock light their LEDs (Scroll Lock does nothing here, so its LED stays
 * dark). The keyboard takes the command KBD_SET_LEDS, answers KBD_ACK, then takes the LED
 * bits and answers KBD_ACK again; each answer comes as a byte with IRQ 1, so a change is a
 * small state machine driven by the keyboard interrupt, never a wait. A change made while
 * one is on its way is sent when that one ends. The state is apart from the decoder's
 * (kbd), which the self-tests replace for a while.
 */
#define KBD_INPUT_FULL  0x02        /* status: the controller still holds our last byte */
#define KBD_SET_LEDS    0xED
#define KBD_ACK         0xFA
#define KBD_RESEND      0xFE
#define LED_NUM         0x02        /* the LED bits of KBD_SET_LEDS */
#define LED_CAPS        0x04
#define LED_UNKNOWN     0xFF        /* kbd_leds.shown: the keyboard may show anything */
#define LED_TRIES       3           /* sends of one byte, resends included */

static struct {
    u8 shown;                   /* the LED bits the keyboard last acknowledged */
    u8 sending;                 /* the bits on their way (step 2) */
    int step;                   /* 0 idle, 1 the command sent, 2 the bits sent */
    int tries;                  /* sends of the current byte */
    u32 acks;                   /* acknowledgements of changes (for the self-test) */
} kbd_leds = { .shown = LED_UNKNOWN };

/* The LED bits the lock keys' state asks for. */
static u8 kbd_led_bits(void)
{
    return (u8)((kbd.mods & MOD_NUMLOCK ? LED_NUM : 0)
                | (kbd.mods & MOD_CAPSLOCK ? LED_CAPS : 0));
}

/* Writes one byte to the keyboard; 0 if the controller does not take it. The controller
 * takes a byte within microseconds, so a few hundred looks at its status are the bound of
 * a handshake, not a wait for an event. */
static int kbd_send(u8 b)
{
    for (int i = 0; i < 1000; i++)
        if (!(inb(KBD_STATUS) & KBD_INPUT_FULL)) {
            outb(KBD_DATA, b);
            return 1;
        }
    return 0;
}

/* Sends the byte of the current step (again, for a resend); gives the change up, the LEDs
 * unknown, if the controller will not take it or the keyboard keeps asking. */
static void kbd_leds_send_step(void)
{
    u8 b = kbd_leds.step == 1 ? KBD_SET_LEDS : kbd_leds.sending;
    if (++kbd_leds.tries > LED_TRIES || !kbd_send(b)) {
        kbd_leds.step = 0;
        kbd_leds.shown = LED_UNKNOWN;
    }
}

/* Starts a change if the LEDs differ from the lock keys and none is on its way. Interrupts
 * off (the keyboard interrupt, or keyboard_init before it is unmasked). */
static void kbd_leds_update(void)
{
    if (kbd_leds.step || kbd_leds.shown == kbd_led_bits())
        return;
    kbd_leds.step = 1;
    kbd_leds.tries = 0;
    kbd_leds_send_step();
}

/* The keyboard answered a byte of a change: the next step, the same byte again, or done
 * (and then the next change, if a lock key was pressed meanwhile). Other answers are not
 * ours (the BIOS's leftovers) and are ignored. */
static void kbd_leds_answer(u8 b)
{
    if (!kbd_leds.step)
        return;
    if (b == KBD_RESEND) {
        kbd_leds_send_step();
        return;
    }
    if (kbd_leds.step == 1) {
        kbd_leds.step = 2;
        kbd_leds.tries = 0;
        kbd_leds.sending = kbd_led_bits();
        kbd_leds_send_step();
        return;
    }
    kbd_leds.step = 0;
    kbd_leds.shown = kbd_leds.sending;
    kbd_leds.acks++;
    kbd_leds_update();
}

/* IRQ 1: one byte from the keyboard controller (mouse bytes are not ours); 1 and the key's
 * event in *ev if it completed a key. The keyboard's answers to the LED commands come
 * this way too. */
static int kbd_read_event(u32 *ev)
{
    u8 status = inb(KBD_STATUS), b;
    if (!(status & KBD_OUTPUT_FULL))
        return 0;
    b = inb(KBD_DATA);
    if (status & KBD_FROM_MOUSE)
        return 0;
    if (b == KBD_ACK || b == KBD_RESEND) {
        kbd_leds_answer(b);
        return 0;
    }
    if (!kbd_decode(b, ev))
        return 0;
    kbd_leds_update();
    return 1;
}

/* --- COM1 input --- */

static struct {
    int esc;                    /* 1 after ESC, 2 after ESC [ */
    int last_cr;                /* the previous byte was '\r': a '\n' right after is its pair */
} serial_in;

/* A character typed on COM1 goes to the console in front; to its guest, if one runs there,
 * as the key event of a press of that character. */
static void serial_type(u8 ch)
{
    u32 flags = KEV_PRESS | KEV_CHAR_VALID | KEV_RAW_VALID;
    if (front->guest)
        guest_key(front->guest, ch | (u32)ch << 8 | flags << 16);
    else
        console_input(front, ch);
}

/* One byte from COM1, from the serial interrupt: translated, then typed into the front. */
static void serial_input_byte(u8 b)
{
    static const u8 arrows[4] = { KEY_UP, KEY_DOWN, KEY_RIGHT, KEY_LEFT };  /* ESC [ A..D */
    int cr_pair = serial_in.last_cr && b == '\n';
    serial_in.last_cr = b == '\r';
    if (serial_in.esc == 1) {
        serial_in.esc = b == '[' ? 2 : 0;
        if (b != '[')
            serial_type(0x1B);
        else
            return;
    } else if (serial_in.esc == 2) {
        serial_in.esc = 0;
        if (b >= 'A' && b <= 'D')
            serial_type(arrows[b - 'A']);
        return;                                 /* other sequences are dropped */
    }
    if (b == 0x1B) {
        serial_in.esc = 1;
        return;
    }
    if (cr_pair)
        return;
    serial_type(b == '\r' ? '\n' : b == 0x7F ? '\b' : b);
}

/* --- the console's input ring: interrupt side --- */

/* Stores one typed character for c's readers and wakes the one whose turn it is; a full ring
 * drops it (counted). From interrupt handlers: interrupts off, never blocks. */
static void console_input(struct console *c, u8 ch)
{
    if (c->typed_tail - c->typed_head == INPUT_RING_SIZE) {
        c->dropped++;
        return;
    }
    c->typed[c->typed_tail++ % INPUT_RING_SIZE] = ch;
    waitq_wake_one(&c->key_wait);
}

/* The next typed character, waiting for one; E_STATE if the thread is killed first. Says in
 * the debug log when characters were dropped because nobody read them. Holding the turn. */
static int console_take_char(struct console *c)
{
    u32 was_on = irq_save(), lost;
    int ch = E_STATE;
    while (c->typed_head == c->typed_tail && !current->killed)
        thread_block(&c->key_wait);
    if (!current->killed)
        ch = c->typed[c->typed_head++ % INPUT_RING_SIZE];
    lost = c->dropped - c->dropped_told;
    c->dropped_told = c->dropped;
    irq_restore(was_on);
    if (lost) {                         /* to the debug log only: the screen is the user's */
        char note[80];
        int n = snprintf(note, sizeof note, "kernel: console %d: input full, %u characters "
                         "dropped\n", c->number, lost);
        debug_write(note, min_u32((u32)n, sizeof note - 1));
    }
    return ch;
}

/* --- the line discipline: readline --- */

/* The cells the line's last character took on the screen: one, or for a tab those up to the
 * next tab stop, counted from the column where the line's echo began. (Output that other
 * threads print in the middle of a line is not counted: the line is its own.) */
static int line_last_width(const struct console *c)
{
    int col = c->line_col, width = 1;
    for (int i = 0; i < c->line_len; i++) {
        width = c->line[i] == '\t' ? TAB_WIDTH - col % TAB_WIDTH : 1;
        col = (col + width) % CONSOLE_COLS;
    }
    return width;
}

/* Applies one typed character to the line being edited, and echoes it: Backspace erases the
 * cells of the character it removes (never past the line's start), Enter ('\r' too, as from
 * COM1) ends the line, the arrows are ignored, anything else is added and drawn. */
static void line_apply(struct console *c, u8 ch)
{
    char one = (char)(ch == '\r' ? '\n' : ch);
    if (one == '\b') {
        if (c->line_len > 0) {
            console_erase(c, line_last_width(c));
            c->line_len--;
        }
        return;
    }
    if (one != '\n' && (ch >= KEY_UNKNOWN || c->line_len == READLINE_MAX - 1))
        return;                                 /* arrows; a full line takes only Enter */
    if (c->line_len == 0)
        c->line_col = c->col;
    c->line[c->line_len++] = one;
    c->line_done = one == '\n';
    console_write(c, &one, 1);
}

/* Edits the pending line with typed characters, echoing them, until Enter completes it. */
static int line_edit(struct console *c)
{
    while (!c->line_done) {
        int ch = console_take_char(c);
        if (ch < 0)
            return ch;                          /* killed: the line so far stays */
        line_apply(c, (u8)ch);
    }
    return 0;
}

static int copy_to_user(u32 udst, const void *src, u32 len);

/* Copies up to len bytes of the completed line to the user; the rest stays for the next
 * reader. Nothing is consumed if the copy fails. */
static int line_deliver(struct console *c, u32 buf, u32 len)
{
    u32 n = min_u32(len, (u32)(c->line_len - c->line_pos));
    if (copy_to_user(buf, c->line + c->line_pos, n) < 0)
        return E_FAULT;
    c->line_pos += (int)n;
    if (c->line_pos == c->line_len)
        c->line_len = c->line_pos = c->line_done = 0;
    return (int)n;
}

/* The next character for getchar: what is left of a line first, then the ring. */
static int console_getchar(struct console *c)
{
    if (c->line_pos < c->line_len) {
        u8 ch = (u8)c->line[c->line_pos++];
        if (c->line_pos == c->line_len)
            c->line_len = c->line_pos = c->line_done = 0;
        return ch;
    }
    return console_take_char(c);
}

/*==== 12. GDT, TSS, IDT ====*/
/*
 * Flat segments: kernel code/data (ring 0), user code/data (ring 3), one TSS whose esp0 is the
 * running thread's kernel stack top (set on every switch). The IDT points every vector at its
 * entry.asm stub: exceptions and IRQs as interrupt gates (interrupts off on entry), system
 * calls as trap gates callable from ring 3 (interrupts stay on: system calls are preemptible).
 */

static u64 gdt[8];
static struct tss tss;
static u64 idt[256];

static u64 gdt_segment(u32 base, u32 limit, u8 access, u8 flags)
{
    return (u64)(limit & 0xFFFF) | (u64)(base & 0xFFFFFF) << 16 | (u64)access << 40
         | (u64)((limit >> 16) & 0xF) << 48 | (u64)(flags & 0xF) << 52
         | (u64)(base >> 24) << 56;
}

static void lgdt_ltr(void)
{
    struct { u16 limit; u32 base; } __attribute__((packed)) d = { sizeof gdt - 1, (u32)gdt };
    __asm__ volatile("lgdt %0" : : "m"(d));
    __asm__ volatile("ljmp %0, $1f; 1:" : : "i"(GDT_KERNEL_CS));      /* reload CS */
    __asm__ volatile("mov %0, %%ds; mov %0, %%es; mov %0, %%fs; mov %0, %%gs; mov %0, %%ss"
                     : : "r"(GDT_KERNEL_DS));
    __asm__ volatile("ltr %0" : : "r"((u16)GDT_TSS));
    /* No LDT: a null LDTR makes every LDT selector fault. (Left at its reset value, base 0
     * and limit 0xFFFF, the CPU would read "descriptors" from page 0 and the windows, where
     * other tasks' frames are mapped for a moment: one task could read another's memory.) */
    __asm__ volatile("lldt %w0" : : "r"(0));
}

static void gdt_init(void)
{
    gdt[0] = 0;
    gdt[1] = gdt_segment(0, 0xFFFFF, 0x9A, 0xC);    /* kernel code: present, ring 0, exec/read */
    gdt[2] = gdt_segment(0, 0xFFFFF, 0x92, 0xC);    /* kernel data: present, ring 0, read/write */
    gdt[3] = gdt_segment(0, 0xFFFFF, 0xFA, 0xC);    /* user code: ring 3 */
    gdt[4] = gdt_segment(0, 0xFFFFF, 0xF2, 0xC);    /* user data: ring 3 */
    gdt[5] = gdt_segment((u32)&tss, sizeof tss - 1, 0x89, 0x0);    /* available 32-bit TSS */
    gdt[6] = gdt_segment(GUEST_BASE, 0xFFFFF, 0xFA, 0xC);  /* guest code: ring 3, at 16 MiB */
    gdt[7] = gdt_segment(GUEST_BASE, 0xFFFFF, 0xF2, 0xC);  /* guest data */
    tss.ss0 = GDT_KERNEL_DS;
    tss.iomap_base = sizeof tss;                    /* no I/O permission bitmap: no user I/O */
    lgdt_ltr();
}

static void tss_set_kernel_stack(u32 esp0) { tss.esp0 = esp0; }

/* type 0xE: 32-bit interrupt gate (clears IF); 0xF: trap gate (keeps IF). */
static void idt_set(int vector, int trap_gate, int user_callable)
{
    u32 handler = trap_stub_table[vector];
    u8 type = (u8)(0x80 | (user_callable ? 0x60 : 0) | (trap_gate ? 0xF : 0xE));
    idt[vector] = (u64)(handler & 0xFFFF) | (u64)GDT_KERNEL_CS << 16 | (u64)type << 40
                | (u64)(handler >> 16) << 48;
}

static int syscall_vector_exists(int vector);

/* Every vector's handler (a gate, or on the guest a hypervisor slot: trap_gate_set). */
static void idt_init(void)
{
    struct { u16 limit; u32 base; } __attribute__((packed)) d = { sizeof idt - 1, (u32)idt };
    for (int v = 0; v < 32; v++)
        trap_gate_set(v, 0, v == 3 || v == 4);      /* int3 and into may come from user code */
    for (int v = IRQ_BASE; v < IRQ_BASE + 16; v++)
        trap_gate_set(v, 0, 0);
    for (int v = SYSCALL_FIRST; v <= SYSCALL_LAST; v++)
        if (syscall_vector_exists(v))
            trap_gate_set(v, 1, 1);
    if (PLATFORM_GUEST)
        return;                                     /* the hypervisor keeps the table */
    idt_set(HV_VECTOR, 1, 1);                       /* hypercalls (section 22) */
    __asm__ volatile("lidt %0" : : "m"(d));
}

/*==== 13. Traps and exceptions ====*/
/*
 * trap_dispatch is the C entry from entry.asm for every vector but the system calls' (those go
 * to syscall_entry, section 25, the short way). Exceptions in user mode are the user's problem
 * (resolved as zero-fill/copy-on-write, or the thread is killed with a one-line report); in
 * kernel mode they are bugs and end in a panic report with a symbolic backtrace -- except a
 * fault inside copy_user/user_strnlen, which returns -1 to its caller.
 *
 * The handlers that need the rest of the kernel (irq_dispatch, user_fault, trap_exit_checks)
 * are at the end of section 25, after everything they call.
 */

/* The kernel's own symbol table ("0xaddr name" lines, sorted by address, then a NUL): the
 * linker script leaves exactly the room it needs at the end of .data, and build.sh writes it
 * into the kernel file there. */
extern const char kernel_symbols[];

extern const char user_access_begin[], user_access_end[], user_access_fault[];  /* entry.asm */
extern char boot_stack_bottom[];

static const char *const exception_names[32] = {
    "divide error", "debug", "NMI", "breakpoint", "overflow", "bound range", "invalid opcode",
    "device not available", "double fault", "coprocessor overrun", "invalid TSS",
    "segment not present", "stack fault", "general protection", "page fault", "reserved",
    "x87 error", "alignment check", "machine check", "SIMD error", "virtualization",
    "control protection", "reserved", "reserved", "reserved", "reserved", "reserved",
    "reserved", "reserved", "reserved", "security", "reserved",
};

static u32 parse_hex(const char **p)
{
    u32 v = 0;
    const char *s = *p + 2;             /* skip "0x" */
    for (;; s++) {
        if (*s >= '0' && *s <= '9') v = v << 4 | (u32)(*s - '0');
        else if (*s >= 'a' && *s <= 'f') v = v << 4 | (u32)(*s - 'a' + 10);
        else break;
    }
    *p = s;
    return v;
}

/* Finds the symbol at or below addr: writes "name+0xoff" (or "?") into out. */
static void symbol_for(u32 addr, char *out, size_t size)
{
    const char *p = kernel_symbols, *best = NULL;
    u32 best_addr = 0;
    while (p[0] == '0' && p[1] == 'x') {
        u32 a = parse_hex(&p);
        const char *name = p + 1;
        if (a <= addr && a >= best_addr) {
            best = name;
            best_addr = a;
        }
        while (*p && *p != '\n')
            p++;
        if (*p)
            p++;
    }
    if (!best || addr - best_addr > 0x10000) {
        strlcpy(out, "?", size);
        return;
    }
    size_t n = 0;
    while (best[n] && best[n] != '\n')
        n++;
    char name[64];
    strlcpy(name, best, min_u32((u32)n + 1, sizeof name));
    snprintf(out, size, "%s+0x%x", name, addr - best_addr);
}

static struct thread *current;

/* Whether [p, p+8) may be read as a stack frame: inside kernel memory, word-aligned. */
static int plausible_frame(u32 ebp)
{
    return ebp >= KERNEL_IMAGE_START && ebp + 8 <= USER_MEM_START && !(ebp & 3);
}

static void print_backtrace(u32 eip, u32 ebp)
{
    char sym[96];
    symbol_for(eip, sym, sizeof sym);
    printf("backtrace:\n  %08x  %s\n", eip, sym);
    for (int depth = 0; depth < 16 && plausible_frame(ebp); depth++) {
        u32 ret = ((u32 *)ebp)[1];
        u32 next = ((u32 *)ebp)[0];
        if (!ret)
            break;
        symbol_for(ret, sym, sizeof sym);
        printf("  %08x  %s\n", ret, sym);
        if (next <= ebp)                /* frames grow upward; anything else is corrupt */
            break;
        ebp = next;
    }
}

static void print_registers(struct trapframe *tf)
{
    int from_user = (tf->cs & 3) != 0;
    printf("  vector %u (%s), error code 0x%x, cr2 0x%08x\n", tf->cause,
           tf->cause < 32 ? exception_names[tf->cause] : "interrupt", tf->error_code, tf->cr2);
    printf("  eax %08x ebx %08x ecx %08x edx %08x\n", tf->eax, tf->ebx, tf->ecx, tf->edx);
    printf("  esi %08x edi %08x ebp %08x esp %08x\n", tf->esi, tf->edi, tf->ebp,
           from_user ? tf->esp : (u32)&tf->esp);
    printf("  eip %08x cs %04x eflags %08x ds %04x es %04x fs %04x gs %04x ss %04x\n",
           tf->eip, tf->cs & 0xFFFF, tf->eflags, tf->ds & 0xFFFF, tf->es & 0xFFFF,
           tf->fs & 0xFFFF, tf->gs & 0xFFFF, from_user ? tf->ss & 0xFFFF : GDT_KERNEL_DS);
}

/* The end of the kernel: report everything useful, then power off with a failure status. */
static void __attribute__((noreturn)) panic_report(const char *why, struct trapframe *tf)
{
    u32 ebp;
    interrupts_off();
    if (panicking++)                    /* a panic while panicking: just stop */
        machine_off(-1, 1);
    printf("\nKERNEL PANIC: %s\n", why);
    if (current)
        printf("  in thread %d (task %d, %s)\n", current->tid,
               current->task ? current->task->tid : 0,
               current->kname ? current->kname : current->task ? current->task->name : "?");
    if (tf) {
        print_registers(tf);
        print_backtrace(tf->eip, tf->ebp);
    } else {
        __asm__ volatile("mov %%ebp, %0" : "=r"(ebp));
        print_backtrace(((u32 *)ebp)[1], ((u32 *)ebp)[0]);
    }
    machine_off(-1, 1);
}

static int vm_resolve_fault(u32 addr, int write);
static void user_fault(struct trapframe *tf);
static void irq_dispatch(struct trapframe *tf);
static void trap_exit_checks(struct trapframe *tf, struct guest *g);
static void guest_trap(struct trapframe *tf);

/*
 * The page-fault handler (#PF, vector 14), for faults in user and in kernel mode: a touch of a
 * zero-fill or copy-on-write page gets its frame (vm_resolve_fault, section 16), in user code
 * or inside copy_user; a bad user address met by copy_user makes that copy return an error.
 * Returns 1 when the fault is dealt with; otherwise it goes on like any other fault.
 */
static int page_fault(struct trapframe *tf)
{
    int from_user = (tf->cs & 3) != 0;
    int in_copy = !from_user && tf->eip >= (u32)user_access_begin
                  && tf->eip < (u32)user_access_end && tf->cr2 >= USER_MEM_START;
    if (!from_user && !in_copy)
        return 0;                       /* a kernel bug: kernel_fault panics */
    if (vm_resolve_fault(tf->cr2, (tf->error_code & PF_WRITE) != 0) == 0)
        return 1;
    if (in_copy)
        tf->eip = (u32)user_access_fault;       /* copy_user returns -1 */
    return in_copy;
}

/* A fault in kernel mode that page_fault did not resolve: a kernel bug, so a panic. */
static void __attribute__((noreturn)) kernel_fault(struct trapframe *tf)
{
    char why[80];
    snprintf(why, sizeof why, "%s in kernel mode",
             tf->cause < 32 ? exception_names[tf->cause] : "unexpected trap");
    panic_report(why, tf);
}

static void exception_dispatch(struct trapframe *tf)
{
    if (tf->cause == 14)
        tf->cr2 = fault_address(tf);    /* before anything can fault again */
    if (tf->eflags & EFLAGS_IF)
        interrupts_on();                /* handle it preemptibly, like the code it interrupted */
    if (tf->cause == 14 && page_fault(tf))
        return;
    if (!(tf->cs & 3))
        kernel_fault(tf);
    user_fault(tf);
}

/* Called by entry.asm's trap_common for every interrupt and exception, and by syscall_entry
 * for a system-call vector a guest used (its own kernel's business). */
void trap_dispatch(struct trapframe *tf)
{
    struct guest *g = (tf->cs & 3) ? current->task->guest : NULL;
    if (tf->cause >= IRQ_BASE && tf->cause < IRQ_BASE + 16)
        irq_dispatch(tf);
    else if (g || tf->cause == HV_VECTOR)
        guest_trap(tf);                 /* a guest's trap, or INT 0xDE from anyone */
    else
        exception_dispatch(tf);
    trap_exit_checks(tf, g);
}

/*==== 14. Physical frames ====*/
/*
 * Two pools, both built from the BIOS memory map's usable ranges:
 *   kernel frames  [end of kernel image, 16 MiB): page tables, kernel stacks, the heap, the DMA
 *                  buffer. Identity mapped, so the kernel uses them directly. A bitmap, because
 *                  the heap and kernel stacks want runs of contiguous frames.
 *   user frames    [16 MiB, top of memory): a stack of free frame numbers, O(1) both ways.
 *                  Not mapped in the kernel: reached through the windows of section 16.
 * Every user frame has a reference count (copy-on-write shares frames); a frame goes back on
 * the free stack when its count drops to 0, and is zeroed when it is handed out again.
 *
 * Reservations keep the promises of syscalls 6: a task never dies for lack of memory when it
 * first writes to memory it was given. Every zero-fill or copy-on-write PTE holds one reserved
 * frame, taken when the PTE is made (new_pages, exec, fork may fail then) and spent or released
 * when the page gets its frame or goes away. Invariant: frames_reserved <= uframes_free, so
 * uframe_alloc_reserved cannot fail, and uframe_alloc (unpromised) leaves reserved frames alone.
 */

#define MAX_PHYS_FRAMES  (1u << 18)     /* we manage at most 1 GiB */
#define KFRAMES          (USER_MEM_START / PAGE_SIZE)

extern char __image_end[], __bss_end[];   /* build.sh's linker script */

static u32 kframe_bitmap[KFRAMES / 32];   /* bit set: the kernel frame is free */
static u32 kframes_free, kframes_total;
static u32 *uframe_stack;                 /* free user frame numbers: the first */
static u32 uframes_clean;                 /* uframes_clean are known to be zero, the rest */
static u32 uframes_free, uframes_total;   /* not (the idle thread zeroes them) */
static u16 *frame_refs;                   /* per user frame, indexed by (pa - 16 MiB) / 4 KiB */
static u32 phys_top;                      /* first address past the highest usable frame */
static u32 frames_reserved;               /* promised to zero-fill and copy-on-write PTEs */

static void *window_map(u32 pa);
static void window_unmap(void *va);
static int windows_free(void);
static struct mutex kframe_lock;

static void kframe_mark_free(u32 f) { kframe_bitmap[f / 32] |= 1u << (f % 32); }
static int kframe_is_free(u32 f) { return (kframe_bitmap[f / 32] >> (f % 32)) & 1; }

/* Adds the whole frames of one usable range to the pools. */
static void frames_add_range(u64 base, u64 end, u32 kernel_end)
{
    u64 limit = (u64)MAX_PHYS_FRAMES * PAGE_SIZE;
    u32 first, last;
    if (end > limit)
        end = limit;
    if (base >= end)
        return;
    first = (u32)((base + PAGE_SIZE - 1) / PAGE_SIZE);
    last = (u32)(end / PAGE_SIZE);
    if (last > KFRAMES && last * PAGE_SIZE > phys_top)
        phys_top = last * PAGE_SIZE;    /* user frames: only the top matters here */
    for (u32 f = max_u32(first, kernel_end / PAGE_SIZE); f < min_u32(last, KFRAMES); f++)
        if ((f < 0xA0 || f >= 0x100) && !kframe_is_free(f)) {
            kframe_mark_free(f);
            kframes_free++;
        }
}

/* Builds the user pool: every usable frame at or above 16 MiB, highest first on the stack. */
static void frames_add_user(struct boot_info *bi)
{
    u32 n = phys_top > USER_MEM_START ? (phys_top - USER_MEM_START) / PAGE_SIZE : 0;
    uframes_total = 0;
    for (u32 i = 0; i < bi->count; i++) {
        struct e820_entry *e = &bi->e820[i];
        u64 first = (e->base + PAGE_SIZE - 1) / PAGE_SIZE;
        u64 last = (e->base + e->length) / PAGE_SIZE;
        u32 lo, hi;
        if (e->type != E820_USABLE || last <= KFRAMES || first >= KFRAMES + n)
            continue;
        lo = first > KFRAMES ? (u32)first : KFRAMES;
        hi = last < KFRAMES + n ? (u32)last : KFRAMES + n;
        for (u32 f = hi; f-- > lo;)
            uframe_stack[uframes_total++] = f;
    }
    uframes_free = uframes_total;
}

static u32 kframe_alloc(u32 count);
static u32 kframe_alloc_run(u32 count);

static void frames_init(struct boot_info *bi)
{
    u32 kernel_end = round_up((u32)__bss_end, PAGE_SIZE), user_frames;
    for (u32 i = 0; i < bi->count; i++)
        if (bi->e820[i].type == E820_USABLE)
            frames_add_range(bi->e820[i].base, bi->e820[i].base + bi->e820[i].length, kernel_end);
    kframes_total = kframes_free;
    user_frames = phys_top > USER_MEM_START ? (phys_top - USER_MEM_START) / PAGE_SIZE : 0;
    uframe_stack = (u32 *)kframe_alloc(round_up(user_frames * 4, PAGE_SIZE) / PAGE_SIZE);
    frame_refs = (u16 *)kframe_alloc(round_up(user_frames * 2, PAGE_SIZE) / PAGE_SIZE);
    if (user_frames && (!uframe_stack || !frame_refs))
        panic("no kernel memory for the frame tables");
    frames_add_user(bi);
}

/*
 * Allocates `count` contiguous kernel frames, as they are (see kframe_alloc); returns their
 * address or 0. Next-fit search from where the last one ended keeps the common single-frame
 * case short.
 */
static u32 kframe_alloc_run(u32 count)
{
    static u32 hint;
    u32 run = 0, start = 0, result = 0;
    if (scheduler_running)
        mutex_lock(&kframe_lock);
    for (u32 scanned = 0; scanned < KFRAMES + count && kframes_free >= count; scanned++) {
        u32 f = (hint + scanned) % KFRAMES;
        if (f == 0)
            run = 0;                    /* runs may not wrap around the end */
        if (!kframe_is_free(f)) {
            run = 0;
            continue;
        }
        if (run++ == 0)
            start = f;
        if (run == count) {
            for (u32 i = start; i < start + count; i++)
                kframe_bitmap[i / 32] &= ~(1u << (i % 32));
            kframes_free -= count;
            hint = start + count;
            result = start * PAGE_SIZE;
            break;
        }
    }
    if (scheduler_running)
        mutex_unlock(&kframe_lock);
    return result;
}

/* kframe_alloc_run, zeroed: what every kernel frame but a kernel stack needs. */
static u32 kframe_alloc(u32 count)
{
    u32 pa = kframe_alloc_run(count);
    if (pa)
        memset((void *)pa, 0, count * PAGE_SIZE);
    return pa;
}

static void kframe_free(u32 pa, u32 count)
{
    if (scheduler_running)
        mutex_lock(&kframe_lock);
    for (u32 f = pa / PAGE_SIZE; f < pa / PAGE_SIZE + count; f++) {
        assert(f < KFRAMES && !kframe_is_free(f));
        kframe_mark_free(f);
    }
    kframes_free += count;
    if (scheduler_running)
        mutex_unlock(&kframe_lock);
}

static u16 *frame_ref_slot(u32 pa)
{
    assert(pa >= USER_MEM_START && pa < phys_top);
    return &frame_refs[(pa - USER_MEM_START) / PAGE_SIZE];
}

/* Promises n frames for later (zero-fill/copy-on-write PTEs). 0 or E_NOMEM. */
static int frames_reserve(u32 n)
{
    u32 was_on = irq_save();
    int ok = uframes_free - frames_reserved >= n;
    if (ok)
        frames_reserved += n;
    irq_restore(was_on);
    return ok ? 0 : E_NOMEM;
}

static void frames_unreserve(u32 n)
{
    u32 was_on = irq_save();
    assert(frames_reserved >= n);
    frames_reserved -= n;
    irq_restore(was_on);
}

/* Takes a frame off the free stack: a promised one (`reserved`, cannot fail) or an unpromised
 * one (0 when only promised frames are left). Returns it with reference count 1, zeroed unless
 * the caller is about to overwrite all of it (`zero` = 0). */
static u32 uframe_take(int reserved, int zero)
{
    u32 pa = 0;
    u32 was_on = irq_save();
    if (reserved) {
        assert(frames_reserved > 0 && uframes_free > 0);
        frames_reserved--;
    }
    if (uframes_free > frames_reserved && zero && uframes_clean) {
        pa = uframe_stack[--uframes_clean] * PAGE_SIZE;     /* zero already; the top frame */
        uframe_stack[uframes_clean] = uframe_stack[--uframes_free];     /* fills its place */
        zero = 0;
    } else if (uframes_free > frames_reserved) {
        pa = uframe_stack[--uframes_free] * PAGE_SIZE;
        if (uframes_clean > uframes_free) {                 /* no dirty frame was left: */
            uframes_clean = uframes_free;                   /* that one was clean */
            zero = 0;
        }
    }
    irq_restore(was_on);
    if (!pa)
        return 0;
    *frame_ref_slot(pa) = 1;
    if (zero) {
        void *w = window_map(pa);
        memset(w, 0, PAGE_SIZE);
        window_unmap(w);
    }
    return pa;
}

/*
 * From the idle thread: zeroes one dirty free frame and marks it clean, so that a zero-fill
 * fault later needs no 4 KiB clear of its own; up to CLEAN_FRAMES of them (enough for bursts
 * of faults, and an idle emulator need not run millions of instructions to clear it all).
 * Interrupts off throughout (one bounded clear: the frame is never seen half-done, and
 * free_frames never misses it). 0 if there was nothing to do, or no window free to do it
 * with (the idle thread may not wait for one).
 */
static int uframe_clean_one(void)
{
    u32 pa, was_on = irq_save();
    int done = IDLE_ZEROES_FRAMES && uframes_clean < min_u32(uframes_free, CLEAN_FRAMES)
               && windows_free() > 0;
    if (done) {
        pa = uframe_stack[uframes_clean] * PAGE_SIZE;
        void *w = window_map(pa);
        memset(w, 0, PAGE_SIZE);
        window_unmap(w);
        uframes_clean++;                /* it is now on the clean side of the boundary */
    }
    irq_restore(was_on);
    return done;
}

static u32 uframe_alloc(void) { return uframe_take(0, 1); }
static u32 uframe_alloc_reserved(void) { return uframe_take(1, 1); }

static void uframe_ref(u32 pa)
{
    u32 was_on = irq_save();
    (*frame_ref_slot(pa))++;
    irq_restore(was_on);
}

/* Drops one reference; the last one returns the frame to the pool. */
static void uframe_unref(u32 pa)
{
    u32 was_on = irq_save();
    u16 *refs = frame_ref_slot(pa);
    assert(*refs > 0);
    if (--*refs == 0)
        uframe_stack[uframes_free++] = pa / PAGE_SIZE;
    irq_restore(was_on);
}

static void boot_info_check(struct boot_info *bi)
{
    if (bi->magic != BOOT_INFO_MAGIC || bi->count > E820_MAX)
        panic("bad boot record from entry.asm");
}

static void memory_report(struct boot_info *bi)
{
    printf("memory: %u KiB kernel frames, %u KiB user frames (map from %s)\n",
           kframes_free * 4, uframes_free * 4,
           bi->source == 1 ? "E820" : bi->source == 2 ? "E801" : bi->source == 3
           ? "INT 15h AH=88h" : "the hypervisor");
}

/*==== 15. Kernel heap ====*/
/*
 * kmalloc/kfree. Small requests (up to 2 KiB) come from slab pages of one size class each
 * (16, 32, ..., 2048 bytes): a page starts with a slab header and holds equal chunks; a page
 * whose chunks are all free goes back to the frame pool, so the heap does not keep memory it
 * no longer uses. Larger requests get whole contiguous kernel frames behind a 16-byte header.
 * kmalloc returns NULL when memory is short: callers report the failure, never panic.
 */

#define HEAP_MIN_SHIFT  4
#define HEAP_CLASSES    8               /* 16 .. 2048 bytes */
#define SLAB_MAGIC      0x51AB51ABu
#define BIG_MAGIC       0xB16B10C5u

struct slab {                           /* at the start of every slab page */
    u32 magic;
    u32 chunk_size;
    u32 used;                           /* chunks handed out */
    struct slab_chunk *free;            /* free chunks of this page */
    struct list link;                   /* in heap.partial[class] while it has free chunks */
};
struct slab_chunk { struct slab_chunk *next; };
struct big_header { u32 magic, pages, pad[2]; };

static struct {
    struct mutex lock;
    struct list partial[HEAP_CLASSES];  /* slab pages with at least one free chunk */
    u32 bytes_in_use;
    u32 empty_slabs;                    /* slab pages kept with no chunk in use (one a class) */
} heap;

static void heap_init(void)
{
    for (int c = 0; c < HEAP_CLASSES; c++)
        list_init(&heap.partial[c]);
}

static struct slab *slab_new(u32 chunk_size)
{
    struct slab *s = (struct slab *)kframe_alloc(1);
    u32 first = round_up(sizeof *s, 16);
    if (!s)
        return NULL;
    s->magic = SLAB_MAGIC;
    s->chunk_size = chunk_size;
    for (u32 off = PAGE_SIZE - chunk_size; off >= first && off < PAGE_SIZE; off -= chunk_size) {
        struct slab_chunk *c = (struct slab_chunk *)((char *)s + off);
        c->next = s->free;
        s->free = c;
    }
    return s;
}

static void *kmalloc_small(int cls)
{
    struct slab *s;
    struct slab_chunk *c;
    if (list_empty(&heap.partial[cls])) {
        if (!(s = slab_new(1u << (cls + HEAP_MIN_SHIFT))))
            return NULL;
        list_push_back(&heap.partial[cls], &s->link);
        heap.empty_slabs++;             /* for a moment: the chunk below is its first */
    }
    s = CONTAINER_OF(heap.partial[cls].next, struct slab, link);
    c = s->free;
    s->free = c->next;
    if (s->used++ == 0)
        heap.empty_slabs--;
    if (!s->free)                       /* now full: off the partial list */
        list_remove(&s->link);
    heap.bytes_in_use += s->chunk_size;
    return c;
}

static void *kmalloc(size_t size)
{
    void *p = NULL;
    int cls = 0;
    if (size > 2048) {
        u32 pages = round_up((u32)size + sizeof(struct big_header), PAGE_SIZE) / PAGE_SIZE;
        struct big_header *h = size < (64u << 20) ? (struct big_header *)kframe_alloc(pages) : 0;
        if (!h)
            return NULL;
        h->magic = BIG_MAGIC;
        h->pages = pages;
        return h + 1;
    }
    while ((1u << (cls + HEAP_MIN_SHIFT)) < size)
        cls++;
    mutex_lock(&heap.lock);
    p = kmalloc_small(cls);
    mutex_unlock(&heap.lock);
    return p;
}

static void *kzalloc(size_t size)
{
    void *p = kmalloc(size);
    if (p)
        memset(p, 0, size);
    return p;
}

static void kfree(void *p)
{
    struct slab *s = (struct slab *)((u32)p & ~(PAGE_SIZE - 1));
    struct slab_chunk *c = p;
    if (!p)
        return;
    if ((u32)p % PAGE_SIZE == sizeof(struct big_header)) {
        struct big_header *h = (struct big_header *)p - 1;
        assert(h->magic == BIG_MAGIC);
        h->magic = 0;
        kframe_free((u32)h, h->pages);
        return;
    }
    assert(s->magic == SLAB_MAGIC);
    mutex_lock(&heap.lock);
    if (!s->free)                       /* it was full: it has room again */
        list_push_back(&heap.partial[__builtin_ctz(s->chunk_size) - HEAP_MIN_SHIFT], &s->link);
    c->next = s->free;
    s->free = c;
    heap.bytes_in_use -= s->chunk_size;
    /* An empty slab goes back to the frame pool, unless it is its class's only one: then it
     * stays (counted in empty_slabs), as a kfree that empties a class is often followed by a
     * kmalloc of it (a region record: new_pages, remove_pages, new_pages...). */
    if (--s->used == 0 && s->link.next == s->link.prev) {
        heap.empty_slabs++;
    } else if (s->used == 0) {
        list_remove(&s->link);
        s->magic = 0;
        kframe_free((u32)s, 1);
    }
    mutex_unlock(&heap.lock);
}

/*==== 16. Paging and virtual memory ====*/
/*
 * Every address space maps [0, 16 MiB) identically: the kernel, supervisor-only, global, through
 * four page tables all page directories share. Page 0 stays unmapped to catch NULL pointers, and
 * pages 1..15 are the "windows": the kernel maps a user frame there for a moment to fill or
 * copy it, since user frames have no permanent kernel address.
 *
 * User pages are ordinary present PTEs, except two kinds whose first write faults on purpose:
 *   PTE_ZFOD  read-only mapping of the one shared zero frame: the first write gets a frame.
 *   PTE_COW   read-only mapping of a frame shared after fork: the first write copies it (or
 *             takes it over, when no one else refers to it any more).
 * CR0.WP makes the kernel's own writes honour read-only PTEs, so copy_user resolves these the
 * same way user writes do.
 */

/* Section 17's locks, used here before they are defined. */
static void rwlock_read_lock(struct rwlock *l);
static void rwlock_read_unlock(struct rwlock *l);
static void rwlock_write_lock(struct rwlock *l);
static void rwlock_write_unlock(struct rwlock *l);

static u32 kernel_pts[KFRAMES / 1024][1024] __attribute__((aligned(PAGE_SIZE)));
static u32 kernel_pd[1024] __attribute__((aligned(PAGE_SIZE)));
static u32 zero_frame;                  /* the shared all-zero user frame */
static u32 pte_global;                  /* PTE_G if the CPU supports global pages */

static struct {
    u32 busy;                           /* bit i: window i is in use */
    struct waitq free;                  /* threads waiting for one window */
    struct waitq free2;                 /* threads waiting for two at once */
} windows;

static void vm_init(void)
{
    if (mmu_has_global_pages())
        pte_global = PTE_G;
    for (u32 page = 1 + WINDOW_COUNT; page < KFRAMES; page++)
        kernel_pts[page / 1024][page % 1024] = page * PAGE_SIZE | PTE_P | PTE_W | pte_global;
    for (u32 i = 0; i < KFRAMES / 1024; i++)
        kernel_pd[i] = (u32)kernel_pts[i] | PTE_P | PTE_W;
    list_init(&windows.free.threads);
    list_init(&windows.free2.threads);
    mmu_start((u32)kernel_pd);
}

static int windows_free(void)
{
    int n = 0;
    for (u32 b = ~windows.busy & ((1u << WINDOW_COUNT) - 1); b; b &= b - 1)
        n++;                            /* one per clear bit: a free window */
    return n;
}

/*
 * Wakes one waiter that the free windows can serve, a pair first (so singles cannot starve
 * it). Each woken thread, once served, calls this again: one wake-up per free window, never a
 * crowd of them with interrupts off. Interrupts off.
 */
static void windows_wake_next(void)
{
    int n;
    if (list_empty(&windows.free.threads) && list_empty(&windows.free2.threads))
        return;                         /* the common case: nobody waits */
    n = windows_free();
    if (n >= 2 && !list_empty(&windows.free2.threads))
        waitq_wake_one(&windows.free2);
    else if (n >= 1 && !list_empty(&windows.free.threads))
        waitq_wake_one(&windows.free);
}

/* Takes a free window and points it at frame pa. Interrupts off; one is free. */
static void *window_take(u32 pa)
{
    int i = __builtin_ctz(~windows.busy);
    u32 va = WINDOW_BASE + (u32)i * PAGE_SIZE;
    windows.busy |= 1u << i;
    kernel_pts[0][va / PAGE_SIZE] = pa | PTE_P | PTE_W;
    mmu_flush_page(va);
    return (void *)va;
}

/* Maps user frame pa at a free window and returns its address; blocks while all are busy.
 * Nobody waits for a window while holding one (that could deadlock): who needs two takes
 * them together with window_map_pair. */
static void *window_map(u32 pa)
{
    u32 was_on = irq_save();
    void *va;
    while (windows_free() < 1)
        thread_block(&windows.free);
    va = window_take(pa);
    windows_wake_next();                /* another free window, maybe another waiter */
    irq_restore(was_on);
    return va;
}

/* Maps two frames at once (for copying one into the other). */
static void window_map_pair(u32 pa1, void **va1, u32 pa2, void **va2)
{
    u32 was_on = irq_save();
    while (windows_free() < 2)
        thread_block(&windows.free2);
    *va1 = window_take(pa1);
    *va2 = window_take(pa2);
    windows_wake_next();
    irq_restore(was_on);
}

static void window_unmap(void *va)
{
    u32 i = ((u32)va - WINDOW_BASE) / PAGE_SIZE;
    kernel_pts[0][(u32)va / PAGE_SIZE] = 0;
    mmu_flush_page((u32)va);
    u32 was_on = irq_save();
    windows.busy &= ~(1u << i);
    windows_wake_next();
    irq_restore(was_on);
}

/*
 * Which entries of a user table are present: for each page table of user memory, and for the
 * user half of each page directory, how many entries are present (table_used) and which groups
 * of 32 may hold one (table_groups, bit k: entries 32k..32k+31). fork, exit and exec visit only
 * those groups, so they take time for what a program maps, not for the 1,024 entries of every
 * table; and a page table whose last page goes is freed at once. Indexed by the table's frame
 * (tables are kernel frames). Every user entry is written through table_write.
 */
static u32 table_groups[KFRAMES];
static u16 table_used[KFRAMES];

static u32 table_slot(const u32 *table) { return (u32)table / PAGE_SIZE; }

/* Page tables that emptied, kept (all zero) for the next table_new: remove_pages and exit
 * free a table, new_pages and fork want one again. */
static struct {
    u32 *table[SPARE_TABLES];
    u32 count;
} spare_tables;

/* A table with no entries (a zeroed frame); NULL if out of memory. The pool is shared by
 * every address space, whose own locks do not cover it: interrupts off while it changes. */
static u32 *table_new(void)
{
    u32 was_on = irq_save(), *table = NULL;
    if (spare_tables.count)
        table = spare_tables.table[--spare_tables.count];
    irq_restore(was_on);
    if (!table)
        table = (u32 *)kframe_alloc(1);
    if (table)
        table_groups[table_slot(table)] = table_used[table_slot(table)] = 0;
    return table;
}

/* Gives back a page table whose entries are all zero. */
static void table_free(u32 *table)
{
    u32 was_on = irq_save();
    int kept = spare_tables.count < SPARE_TABLES;
    if (kept)
        spare_tables.table[spare_tables.count++] = table;
    irq_restore(was_on);
    if (!kept)
        kframe_free((u32)table, 1);
}

/* Writes one entry of a user table, keeping its table's counts; returns the present entries
 * left in that table. */
static u32 table_write(u32 *entry, u32 value)
{
    u32 slot = table_slot(entry), i = ((u32)entry % PAGE_SIZE) / 4;
    if (!(*entry & PTE_P) && (value & PTE_P)) {
        table_groups[slot] |= 1u << (i / 32);
        table_used[slot]++;
    } else if ((*entry & PTE_P) && !(value & PTE_P) && --table_used[slot] == 0) {
        table_groups[slot] = 0;
    }
    *entry = value;
    return table_used[slot];
}

/* The first present entry of table at index i or after it; 1024 if none. Looks only in the
 * groups that may hold one. */
static u32 table_search(const u32 *table, u32 i)
{
    u32 groups = table_groups[table_slot(table)];
    while (i < 1024) {
        u32 later = groups >> (i / 32);
        if (!later)
            return 1024;
        if (!(later & 1)) {
            i = (i / 32 + (u32)__builtin_ctz(later)) * 32;     /* the next group in use */
            continue;
        }
        do {                            /* a group in use: entry by entry to its end */
            if (table[i] & PTE_P)
                return i;
        } while (++i % 32);
    }
    return 1024;
}

/* The same, with the common case inline: entry i itself is present (the next of a run). */
static inline __attribute__((always_inline)) u32 table_next(const u32 *table, u32 i)
{
    return i < 1024 && (table[i] & PTE_P) ? i : table_search(table, i);
}

/* Every present entry of a user table, in order (i must be a u32 variable). */
#define TABLE_FOR_EACH(table, first, i) \
    for (i = table_next(table, first); i < 1024; i = table_next(table, i + 1))

/* A new page directory: the kernel's four entries and nothing else. NULL if out of memory. */
static u32 *pd_create(void)
{
    u32 *pd = table_new();
    if (pd)
        memcpy(pd, kernel_pd, (KFRAMES / 1024) * sizeof(u32));
    return pd;
}

/* The PTE for va in pd; with `create`, allocates the page table. NULL if absent/no memory. */
static u32 *vm_pte(u32 *pd, u32 va, int create)
{
    u32 *pde = &pd[PDX(va)], *pt;
    if (!(*pde & PTE_P)) {
        if (!create || !(pt = table_new()))
            return NULL;
        table_write(pde, (u32)pt | PTE_P | PTE_W | PTE_U);  /* the PTEs decide permissions */
    }
    return &((u32 *)(*pde & PTE_FRAME))[PTX(va)];
}

static void vm_activate(u32 *pd)
{
    if (mmu_pd != (u32)pd)
        mmu_load((u32)pd);
}

/* Whether [addr, addr+len) lies in user memory; it may end exactly at 4 GiB. An empty range
 * is fine anywhere: nothing will be touched. */
static int user_range_ok(u32 addr, u32 len)
{
    return len == 0 || (addr >= USER_MEM_START && addr + (len - 1) >= addr
                        && addr + (len - 1) <= USER_MEM_LAST);
}

/* Gives up what present entry e holds: its frame's reference (the shared zero frame has
 * none). Returns 1 if e also held a reservation (zero-fill or copy-on-write), for the caller
 * to release, else 0. */
static u32 pte_drop(u32 e)
{
    if ((e & PTE_FRAME) != zero_frame)
        uframe_unref(e & PTE_FRAME);
    return (e & (PTE_ZFOD | PTE_COW)) != 0;
}

/* Gives up what one user PTE holds (pte_drop), its reservation too, and clears the PTE. */
static void pte_release(u32 *pte)
{
    u32 e = *pte;
    if (!(e & PTE_P))
        return;
    table_write(pte, 0);
    if (pte_drop(e))
        frames_unreserve(1);
}

/* Frees every user page and page table of pd, then pd itself. As pte_release does, but a
 * whole table at a time: its counts are reset once at the end, not kept entry by entry, and
 * its reservations are given back together. */
static void pd_destroy(u32 *pd)
{
    u32 i, j;
    TABLE_FOR_EACH(pd, PDX(USER_MEM_START), i) {
        u32 *pt = (u32 *)(pd[i] & PTE_FRAME), reserved = 0;
        TABLE_FOR_EACH(pt, 0, j) {
            reserved += pte_drop(pt[j]);
            pt[j] = 0;
        }
        frames_unreserve(reserved);
        table_groups[table_slot(pt)] = table_used[table_slot(pt)] = 0;
        table_free(pt);                 /* every entry is 0 again */
        table_write(&pd[i], 0);
    }
    memset(pd, 0, (KFRAMES / 1024) * sizeof(u32));      /* the kernel's entries */
    table_free(pd);
}

/* Unmaps [va, va+len) of pd, which is the current address space. A page table left empty is
 * freed (the flush of its last page also drops what the MMU cached of its directory entry). */
static void vm_unmap_range(u32 *pd, u32 va, u32 len)
{
    for (u32 page = va; page - va < len; page += PAGE_SIZE) {
        u32 *pte = vm_pte(pd, page, 0), *pde = &pd[PDX(page)];
        if (!pte)
            continue;
        pte_release(pte);
        if (table_used[table_slot(pte)] == 0) {
            table_free((u32 *)(*pde & PTE_FRAME));
            table_write(pde, 0);
        }
        mmu_flush_page(page);
    }
}

/*
 * Resolves a write fault on a zero-fill or copy-on-write page of the current task, spending the
 * frame reserved for it. Returns 0 if the access may be retried, -1 if it is a real fault.
 */
static int vm_resolve_fault(u32 addr, int write)
{
    struct task *task = current->task;
    u32 *pte, old, pa, page = addr & PTE_FRAME;
    int r = -1;
    if (!task || addr < USER_MEM_START || !write)
        return -1;
    rwlock_write_lock(&task->vm_lock);
    pte = vm_pte(task->pd, addr, 0);
    if (pte && (*pte & PTE_P) && (*pte & (PTE_ZFOD | PTE_COW))) {
        old = *pte;
        if (old & PTE_ZFOD) {
            pa = uframe_alloc_reserved();
        } else if (*frame_ref_slot(old & PTE_FRAME) == 1) {
            pa = old & PTE_FRAME;       /* the last sharer keeps the frame: no copy needed */
            frames_unreserve(1);
        } else {
            void *src, *dst;
            pa = uframe_take(1, 0);     /* no need to zero: the copy fills all of it */
            window_map_pair(old & PTE_FRAME, &src, pa, &dst);
            memcpy(dst, src, PAGE_SIZE);
            window_unmap(dst);
            window_unmap(src);
            uframe_unref(old & PTE_FRAME);
        }
        *pte = pa | PTE_P | PTE_W | PTE_U;
        mmu_flush_page(page);
        r = 0;
    } else if (pte && (*pte & PTE_P) && (*pte & PTE_W)) {
        r = 0;                          /* another thread resolved it first */
    }
    rwlock_write_unlock(&task->vm_lock);
    return r;
}

/*
 * Maps a writable zero-fill-on-demand page at va. The caller has reserved its frame
 * (frames_reserve); on success the PTE holds that reservation.
 */
static int vm_map_zero(u32 *pd, u32 va)
{
    u32 *pte = vm_pte(pd, va, 1);
    if (!pte)
        return E_NOMEM;
    assert(!(*pte & PTE_P));
    table_write(pte, zero_frame | PTE_P | PTE_U | PTE_ZFOD);
    return 0;
}

/*
 * Returns a pointer through which the kernel can fill the page at va of pd, giving the page a
 * frame of its own first (spending its reservation if it was zero-fill). The page becomes
 * writable; the caller window_unmap()s the pointer. NULL if out of memory.
 */
static void *vm_page_for_writing(u32 *pd, u32 va)
{
    u32 *pte = vm_pte(pd, va, 1), pa;
    if (!pte)
        return NULL;
    if (!(*pte & PTE_P) || (*pte & PTE_FRAME) == zero_frame) {  /* never write the zero frame */
        pa = *pte & PTE_ZFOD ? uframe_alloc_reserved() : uframe_alloc();
        if (!pa)
            return NULL;
        table_write(pte, pa | PTE_P | PTE_U | PTE_W);
    }
    return window_map(*pte & PTE_FRAME);
}

/* Whether any page of [va, va+len) is mapped in pd. */
static int vm_range_used(u32 *pd, u32 va, u32 len)
{
    for (u32 page = va; page - va < len; page += PAGE_SIZE) {
        u32 *pte = vm_pte(pd, page, 0);
        if (pte && (*pte & PTE_P))
            return 1;
    }
    return 0;
}

/* Frees the region records of a task (its pages go with pd_destroy or vm_unmap_range). */
static void regions_free(struct task *task)
{
    struct list *n;
    while ((n = list_pop_front(&task->regions)))
        kfree(CONTAINER_OF(n, struct region, link));
}

/*
 * new_pages: maps [base, base+len) zero-fill for the current task, all frames reserved now.
 */
static int vm_new_pages(u32 base, i32 len)
{
    struct task *task = current->task;
    struct region *reg;
    u32 pages, mapped = 0;
    int r = 0;
    if ((base & (PAGE_SIZE - 1)) || len <= 0 || ((u32)len & (PAGE_SIZE - 1))
        || !user_range_ok(base, (u32)len))
        return E_INVAL;
    pages = (u32)len / PAGE_SIZE;
    if (!(reg = kmalloc(sizeof *reg)))
        return E_NOMEM;
    rwlock_write_lock(&task->vm_lock);
    if (vm_range_used(task->pd, base, (u32)len))
        r = E_INVAL;
    else if ((r = frames_reserve(pages)) == 0) {
        for (mapped = 0; mapped < pages; mapped++)
            if ((r = vm_map_zero(task->pd, base + mapped * PAGE_SIZE)) < 0)
                break;
        if (r < 0) {                    /* out of page tables: undo */
            frames_unreserve(pages - mapped);
            vm_unmap_range(task->pd, base, mapped * PAGE_SIZE);
        }
    }
    if (r == 0) {
        reg->base = base;
        reg->len = (u32)len;
        list_push_back(&task->regions, &reg->link);
    }
    rwlock_write_unlock(&task->vm_lock);
    if (r < 0)
        kfree(reg);
    return r;
}

/* remove_pages: unmaps the region new_pages created at exactly `base`. */
static int vm_remove_pages(u32 base)
{
    struct task *task = current->task;
    struct region *found = NULL;
    rwlock_write_lock(&task->vm_lock);
    for (struct list *n = task->regions.next; n != &task->regions; n = n->next)
        if (CONTAINER_OF(n, struct region, link)->base == base) {
            found = CONTAINER_OF(n, struct region, link);
            list_remove(n);
            vm_unmap_range(task->pd, found->base, found->len);
            break;
        }
    rwlock_write_unlock(&task->vm_lock);
    kfree(found);
    return found ? 0 : E_INVAL;
}

/* Reservations fork needs: one per zero-fill/COW PTE the child gets, one per private
 * writable page of the parent that becomes copy-on-write. */
static u32 vm_fork_cost(u32 *pd)
{
    u32 cost = 0, i, j;
    TABLE_FOR_EACH(pd, PDX(USER_MEM_START), i) {
        u32 *pt = (u32 *)(pd[i] & PTE_FRAME);
        TABLE_FOR_EACH(pt, 0, j)
            if (pt[j] & (PTE_W | PTE_ZFOD | PTE_COW))
                cost += pt[j] & PTE_W ? 2 : 1;
    }
    return cost;
}

/* Shares one parent PTE with the child: writable pages become copy-on-write in both. */
static u32 vm_fork_pte(u32 *parent_pte)
{
    u32 e = *parent_pte;
    if (e & PTE_W) {
        e = (e & ~PTE_W) | PTE_COW;
        *parent_pte = e;
    }
    if ((e & PTE_FRAME) != zero_frame)
        uframe_ref(e & PTE_FRAME);
    return e;
}

/*
 * Copies the user half of the current task's space into child (a fresh pd) for fork:
 * page tables are copied, pages shared copy-on-write. Time is proportional to the page tables.
 * On failure nothing is left reserved for the child (the caller destroys child_pd).
 */
static int vm_fork(struct task *parent, struct task *child)
{
    u32 cost = vm_fork_cost(parent->pd), used = 0, i, j;
    int r = 0;
    if (frames_reserve(cost) < 0)
        return E_NOMEM;
    TABLE_FOR_EACH(parent->pd, PDX(USER_MEM_START), i) {
        u32 *pt = (u32 *)(parent->pd[i] & PTE_FRAME), *cpt;
        if (!(cpt = table_new())) {
            r = E_NOMEM;
            break;
        }
        table_write(&child->pd[i], (u32)cpt | PTE_P | PTE_W | PTE_U);
        TABLE_FOR_EACH(pt, 0, j) {
            used += pt[j] & PTE_W ? 2 : (pt[j] & (PTE_ZFOD | PTE_COW)) ? 1 : 0;
            cpt[j] = vm_fork_pte(&pt[j]);
        }
        /* Not through table_write: the copy has the same present entries, so the same counts. */
        table_groups[table_slot(cpt)] = table_groups[table_slot(pt)];
        table_used[table_slot(cpt)] = table_used[table_slot(pt)];
    }
    frames_unreserve(cost - used);      /* 0 unless a page table could not be had */
    for (struct list *n = parent->regions.next; r == 0 && n != &parent->regions; n = n->next) {
        struct region *copy = kmalloc(sizeof *copy), *orig = CONTAINER_OF(n, struct region, link);
        if (!copy) {
            r = E_NOMEM;
            break;
        }
        *copy = *orig;
        list_push_back(&child->regions, &copy->link);
    }
    mmu_load(mmu_pd);                   /* the parent's pages just became read-only */
    return r;
}

/* --- user memory: the only way the kernel touches user addresses --- */

extern int copy_user(void *dst, const void *src, u32 n);       /* entry.asm */
extern int user_strnlen(const char *s, u32 max);

static int copy_from_user(void *dst, u32 usrc, u32 len)
{
    if (!user_range_ok(usrc, len))
        return E_FAULT;
    return copy_user(dst, (const void *)usrc, len) ? E_FAULT : 0;
}

static int copy_to_user(u32 udst, const void *src, u32 len)
{
    if (!user_range_ok(udst, len))
        return E_FAULT;
    return copy_user((void *)udst, src, len) ? E_FAULT : 0;
}

/* Copies a NUL-terminated user string of at most size-1 characters; returns its length. */
static int copy_string_from_user(char *dst, u32 usrc, u32 size)
{
    u32 limit = min_u32(size, USER_MEM_LAST - usrc + 1);   /* never past user memory's end */
    int len;
    if (usrc < USER_MEM_START || usrc > USER_MEM_LAST)
        return E_FAULT;
    len = user_strnlen((const char *)usrc, limit);
    if (len < 0 || ((u32)len == limit && limit < size))
        return E_FAULT;                 /* unreadable, or runs off the end of memory */
    if ((u32)len >= size)
        return E_INVAL;                 /* too long */
    if (copy_user(dst, (const void *)usrc, (u32)len + 1))
        return E_FAULT;
    dst[len] = 0;
    return len;
}

/*
 * Whether every page of [addr, addr+len) is mapped for the current task and (with `write`)
 * writable now or after a zero-fill/copy-on-write fault. The copy that follows can still fail
 * if another thread unmaps the range meanwhile; copy_user reports that as E_FAULT.
 */
static int user_range_mapped(u32 addr, u32 len, int write)
{
    struct task *task = current->task;
    int ok = 1;
    if (!user_range_ok(addr, len))
        return 0;
    if (!len)
        return 1;
    rwlock_read_lock(&task->vm_lock);
    for (u32 page = addr & PTE_FRAME; ok; page += PAGE_SIZE) {
        u32 *pte = vm_pte(task->pd, page, 0);
        ok = pte && (*pte & PTE_P) && (*pte & PTE_U)
            && (!write || (*pte & (PTE_W | PTE_ZFOD | PTE_COW)));
        if (page >= ((addr + len - 1) & PTE_FRAME))
            break;
    }
    rwlock_read_unlock(&task->vm_lock);
    return ok;
}

/*==== 17. Locks ====*/
/*
 * Mutexes and condition variables that block (section 18 does the blocking). Interrupts are off
 * only inside these few lines, never across the critical section a mutex protects.
 *
 * Lock order: a thread holding a mutex may take only mutexes of a higher order.
 *
 *   order  lock                    protects
 *   8      console->read_lock      a console's reader turn: its line and the taking of keys
 *   10     console->out_lock       whole prints on one console, its colour and cursor
 *                                  (one console's at a time)
 *   12     task_tree_lock          parent/child links, zombies, wait
 *   14     task->vm_lock (rwlock)  a task's page tables and regions (one task's at a time);
 *                                  readers only look at PTEs, writers change them
 *   16     deschedule_lock         deschedule against make_runnable
 *   18     fat_index_lock          building the root directory's index (section 21)
 *   20     floppy.lock             the controller, the track cache
 *   30     heap.lock               slab lists
 *   40     kframe_lock             the kernel frame bitmap
 *   (the user frame stack, run queue, sleep queue, wait queues, windows and serial ring are
 *    guarded by short interrupts-off sections instead: interrupt handlers touch them)
 *
 * Built with -DLOCKCHECK, mutex_lock asserts the order and that the caller may block.
 */

static inline __attribute__((always_inline)) void thread_yield(void);

static void mutex_init(struct mutex *m, const char *name, int order)
{
    m->owner = NULL;
    list_init(&m->waiters.threads);
    m->info.name = name;
    m->info.order = order;
}

#ifdef LOCKCHECK
/* Checks the lock-order table: every lock held must come before l. */
static void lockcheck_acquire(struct lock_info *l)
{
    struct thread *t = current;
    if (!interrupts_enabled())
        panic("lock %s taken with interrupts off", l->name);
    for (int i = 0; i < t->held_count; i++)
        if (t->held[i]->order >= l->order)
            panic("lock order: %s (%d) taken while holding %s (%d)", l->name, l->order,
                  t->held[i]->name, t->held[i]->order);
    if (t->held_count == (int)(sizeof t->held / sizeof t->held[0]))
        panic("too many locks held");
    t->held[t->held_count++] = l;
}

static void lockcheck_release(struct lock_info *l)
{
    struct thread *t = current;
    for (int i = t->held_count - 1; i >= 0; i--)
        if (t->held[i] == l) {
            t->held[i] = t->held[--t->held_count];
            return;
        }
    panic("lock %s released but not held", l->name);
}
#else
static void lockcheck_acquire(struct lock_info *l) { (void)l; }
static void lockcheck_release(struct lock_info *l) { (void)l; }
#endif

/* Waits until m is handed over, or (killable) the thread is killed. Interrupts off. */
static void mutex_wait(struct mutex *m, int killable)
{
    assert(m->owner != current);
    for (;;) {
        /* Free: ours. Handed over: ours. (A kill's wakeup takes a waiter off the queue, so an
         * unlock meanwhile may have found nobody to hand it to and left it free.) */
        if (!m->owner)
            m->owner = current;
        if (m->owner == current || (killable && current->killed))
            return;
        thread_block(&m->waiters);
    }
}

static void mutex_lock(struct mutex *m)
{
    u32 was_on;
    if (!scheduler_running)             /* boot is single-threaded */
        return;
    lockcheck_acquire(&m->info);
    was_on = irq_save();
    mutex_wait(m, 0);
    irq_restore(was_on);
}

/* Like mutex_lock, but gives up when the thread is killed (task_vanish) while it waits, for
 * locks held across waits that may never end (a console's reader turn). 0, or E_STATE. */
static int mutex_lock_killable(struct mutex *m)
{
    u32 was_on;
    int r = 0;
    lockcheck_acquire(&m->info);
    was_on = irq_save();
    mutex_wait(m, 1);
    if (m->owner != current) {
        lockcheck_release(&m->info);
        r = E_STATE;
    }
    irq_restore(was_on);
    return r;
}

static void mutex_unlock(struct mutex *m)
{
    u32 was_on;
    if (!scheduler_running)
        return;
    lockcheck_release(&m->info);
    was_on = irq_save();
    assert(m->owner == current);
    m->owner = NULL;
    if (!list_empty(&m->waiters.threads)) {     /* hand over to the longest waiter */
        m->owner = CONTAINER_OF(m->waiters.threads.next, struct thread, run_link);
        thread_wake(m->owner);
    }
    irq_restore(was_on);
    if ((misbehave_mode & MISBEHAVE_YIELD_UNLOCK) && was_on)
        thread_yield();
}

static void cond_init(struct cond *c) { list_init(&c->waiters.threads); }

static void rwlock_init(struct rwlock *l, const char *name, int order)
{
    memset(l, 0, sizeof *l);
    list_init(&l->read_wait.threads);
    list_init(&l->write_wait.threads);
    l->info.name = name;
    l->info.order = order;
}

static void rwlock_read_lock(struct rwlock *l)
{
    lockcheck_acquire(&l->info);
    u32 was_on = irq_save();
    while (l->writer || l->writers_waiting)
        thread_block(&l->read_wait);
    l->readers++;
    irq_restore(was_on);
}

static void rwlock_read_unlock(struct rwlock *l)
{
    lockcheck_release(&l->info);
    u32 was_on = irq_save();
    if (--l->readers == 0)
        waitq_wake_one(&l->write_wait);
    irq_restore(was_on);
}

static void rwlock_write_lock(struct rwlock *l)
{
    lockcheck_acquire(&l->info);
    u32 was_on = irq_save();
    l->writers_waiting++;
    while (l->writer || l->readers)
        thread_block(&l->write_wait);
    l->writers_waiting--;
    l->writer = current;
    irq_restore(was_on);
}

static void rwlock_write_unlock(struct rwlock *l)
{
    lockcheck_release(&l->info);
    u32 was_on = irq_save();
    assert(l->writer == current);
    l->writer = NULL;
    if (l->writers_waiting)
        waitq_wake_one(&l->write_wait);
    else
        waitq_wake_all(&l->read_wait);
    irq_restore(was_on);
}

/* Releases m, blocks until signalled, retakes m. No wakeup can slip in between: interrupts
 * are off from the release to the block. A killed thread does not block (task_vanish's wakeup
 * may have come before it got here): callers loop, and look at current->killed. */
static void cond_wait(struct cond *c, struct mutex *m)
{
    u32 was_on = irq_save();
    mutex_unlock(m);
    if (!current->killed)
        thread_block(&c->waiters);
    irq_restore(was_on);
    mutex_lock(m);
}

static void cond_broadcast(struct cond *c)
{
    u32 was_on = irq_save();
    waitq_wake_all(&c->waiters);
    irq_restore(was_on);
}

/*==== 18. Context switch and scheduler ====*/
/*
 * Round robin over a run queue that holds only RUNNABLE threads. Blocked threads sit on a wait
 * queue, sleeping threads on the sleep queue (ordered by wake-up tick); neither is ever scanned.
 * When nothing is runnable the idle thread (the boot context) halts the CPU until an interrupt.
 *
 * Every switch goes through schedule() with interrupts off: the timer's preemption (on the way
 * out of a trap), yield, blocking, sleeping and exit. A new thread's first run returns from
 * switch_stacks into a frame built by thread_new (section 19).
 */

/* entry.asm; its arguments come in registers (%eax, %edx), a switch being this hot */
extern void switch_stacks(u32 *save_esp, u32 new_esp) __attribute__((regparm(2)));

static struct list runq = LIST_INIT(runq);
/* The sleep queue: a binary min-heap of the threads with a wake-up tick, earliest first, so
 * that a sleep, a wake-up and an early removal each cost O(log n) with interrupts off. Every
 * thread has a kernel stack of KSTACK_PAGES kernel frames: there can never be more. */
#define SLEEPERS_MAX        ((int)(KFRAMES / KSTACK_PAGES))
static struct thread *sleep_heap[SLEEPERS_MAX];
static int sleep_count;
static struct thread idle_thread;
static struct thread *current;

static u8 fpu_initial[FPU_STATE_SIZE];  /* a fresh FPU's state: what new programs start with */

/* The FPU as user programs expect it: present, errors as exception 16; its reset state saved. */
static void fpu_init(void)
{
    if (!PLATFORM_GUEST)                /* a guest's FPU is set up by the machine below */
        write_cr0((read_cr0() & ~CR0_EM) | CR0_MP | CR0_NE | CR0_AM);
    __asm__ volatile("fninit");
    fpu_save(fpu_initial);
}

static u32 kstack_top(struct thread *t) { return (u32)t->kstack + KSTACK_PAGES * PAGE_SIZE; }

static void runq_push(struct thread *t)
{
    t->state = T_RUNNABLE;
    list_push_back(&runq, &t->run_link);
}

/* Runs next instead of current. Interrupts off. */
static void context_switch(struct thread *next)
{
    struct thread *prev = current;
    if (prev->kstack[0] != KSTACK_CANARY)
        panic("kernel stack overflow in thread %d", prev->tid);
    if (prev->task)                     /* user threads own x87 state; the kernel uses none */
        fpu_save(prev->fpu);
    if (next->task)
        fpu_restore(next->fpu);
    next->state = T_RUNNING;
    current = next;
    slice_ticks = 0;                    /* a fresh time slice */
    exit_work &= ~(u32)EXIT_PREEMPT;
    tss_set_kernel_stack(kstack_top(next));
    if (next->task)                     /* kernel threads run in whatever space is loaded */
        vm_activate(next->task->pd);
    switch_stacks(&prev->kesp, next->kesp);
}

/* Picks the next thread. Interrupts off; current is already where it belongs (run queue, wait
 * queue, sleep queue, or nowhere once dead). */
static void schedule(void)
{
    struct list *n = list_pop_front(&runq);
    struct thread *next = n ? CONTAINER_OF(n, struct thread, run_link) : &idle_thread;
    if (next == current) {
        current->state = T_RUNNING;
        return;
    }
    context_switch(next);
}

/* Gives up the CPU to the next runnable thread, staying runnable. Inline: yield(-1) is
 * mostly this. */
static inline __attribute__((always_inline)) void thread_yield(void)
{
    u32 was_on = irq_save();
    if (current != &idle_thread)
        runq_push(current);
    schedule();
    irq_restore(was_on);
}

/* Blocks the current thread on q until waitq_wake_*. Interrupts must be off: the caller checked
 * its condition with them off, so no wakeup can come between the check and the block. */
static void thread_block(struct waitq *q)
{
    assert(!interrupts_enabled() && current != &idle_thread);
    current->state = T_BLOCKED;
    current->blocked_on = q;
    list_push_back(&q->threads, &current->run_link);
    schedule();
}

/* --- the sleep heap (interrupts off) --- */

static int sleeps_before(const struct thread *a, const struct thread *b)
{
    return (i32)(a->wake_tick - b->wake_tick) < 0;
}

static void sleep_heap_put(int i, struct thread *t)
{
    sleep_heap[i] = t;
    t->sleep_index = i;
}

/* Moves the thread at slot i towards the root while it is due before its parent. */
static void sleep_heap_up(int i)
{
    struct thread *t = sleep_heap[i];
    while (i > 0 && sleeps_before(t, sleep_heap[(i - 1) / 2])) {
        sleep_heap_put(i, sleep_heap[(i - 1) / 2]);
        i = (i - 1) / 2;
    }
    sleep_heap_put(i, t);
}

/* Moves the thread at slot i down while a child is due before it. */
static void sleep_heap_down(int i)
{
    struct thread *t = sleep_heap[i];
    for (;;) {
        int c = 2 * i + 1;
        if (c >= sleep_count)
            break;
        if (c + 1 < sleep_count && sleeps_before(sleep_heap[c + 1], sleep_heap[c]))
            c++;
        if (!sleeps_before(sleep_heap[c], t))
            break;
        sleep_heap_put(i, sleep_heap[c]);
        i = c;
    }
    sleep_heap_put(i, t);
}

/* Puts current in the sleep queue, due at wake_tick. */
static void sleepq_insert(u32 wake_tick)
{
    assert(sleep_count < SLEEPERS_MAX);
    current->wake_tick = wake_tick;
    sleep_heap_put(sleep_count++, current);
    sleep_heap_up(current->sleep_index);
}

/* Takes t out of the sleep queue; nothing if it is not there. */
static void sleepq_remove(struct thread *t)
{
    int i = t->sleep_index;
    struct thread *last;
    if (i < 0)
        return;
    t->sleep_index = -1;
    last = sleep_heap[--sleep_count];
    if (i < sleep_count) {              /* the last one fills the hole, then finds its place */
        sleep_heap_put(i, last);
        sleep_heap_up(i);
        sleep_heap_down(last->sleep_index);
    }
}

/* Like thread_block, but gives up after `timeout` ticks. Returns 1 if it timed out. */
static int thread_block_timeout(struct waitq *q, u32 timeout)
{
    assert(!interrupts_enabled());
    current->timed_out = 0;
    sleepq_insert(ticks + timeout);
    thread_block(q);
    return current->timed_out;
}

/* Sleeps until the tick count reaches wake_tick. Interrupts off. */
static void thread_sleep_until(u32 wake_tick)
{
    current->state = T_SLEEPING;
    sleepq_insert(wake_tick);
    schedule();
}

/* Makes a blocked or sleeping thread runnable, off whichever queues it is on. Interrupts off. */
static void thread_wake(struct thread *t)
{
    if (t->state == T_BLOCKED)
        list_remove(&t->run_link);
    t->blocked_on = NULL;
    sleepq_remove(t);                   /* harmless when it is not in the sleep queue */
    runq_push(t);
}

static void waitq_init(struct waitq *q) { list_init(&q->threads); }

static void waitq_wake_one(struct waitq *q)
{
    if (!list_empty(&q->threads))
        thread_wake(CONTAINER_OF(q->threads.next, struct thread, run_link));
}

static void waitq_wake_all(struct waitq *q)
{
    while (!list_empty(&q->threads))
        thread_wake(CONTAINER_OF(q->threads.next, struct thread, run_link));
}

/* From the timer interrupt: wakes the sleepers whose tick has come, at most WAKE_BATCH of them
 * (the earliest first: the rest, still due, go at the next ticks), so the interrupt stays
 * short however many threads sleep. */
static void sleepers_wake_due(void)
{
    for (int n = 0; n < WAKE_BATCH && sleep_count > 0; n++) {
        struct thread *t = sleep_heap[0];
        if ((i32)(t->wake_tick - ticks) > 0)
            break;
        t->timed_out = t->state == T_BLOCKED;
        thread_wake(t);
    }
}

/* On the way out of every trap: preempt if the time slice is over. */
static inline __attribute__((always_inline)) void preempt_check(void)
{
    u32 was_on = irq_save();
    if ((exit_work & EXIT_PREEMPT) && scheduler_running) {
        exit_work &= ~(u32)EXIT_PREEMPT;
        if (!list_empty(&runq))
            thread_yield();
    }
    irq_restore(was_on);
}

/* The idle thread: whenever nothing else can run, zeroes free frames ahead of need, one at a
 * time with interrupts let in between; with none left to zero, halts until an interrupt. */
static void __attribute__((noreturn)) idle_loop(void)
{
    for (;;) {
        interrupts_off();
        if (!list_empty(&runq))
            schedule();
        else if (uframe_clean_one())
            interrupts_on();
        else
            idle_halt();
    }
}

/*==== 19. Tasks and threads ====*/
/*
 * Creating threads and tasks, finding a thread by tid (a hash table: O(1)), and ending them.
 * A thread cannot free the stack it runs on, so an exiting thread puts itself on the dead list
 * and the reaper thread frees it after the switch away. Exiting never allocates: it cannot fail.
 */

extern void trap_return(void);          /* entry.asm */

static struct thread *tid_hash[TID_HASH_SIZE];
static int next_tid = 1;
static struct list dead_threads = LIST_INIT(dead_threads);
static struct waitq reaper_wakeup = { LIST_INIT(reaper_wakeup.threads) };
static u32 threads_unreaped;            /* exiting or dead threads whose memory is not yet freed */

static struct thread *thread_find(int tid)
{
    struct thread *t;
    for (t = tid_hash[(u32)tid % TID_HASH_SIZE]; t; t = t->hash_next)
        if (t->tid == tid)
            return t;
    return NULL;
}

/*
 * Gives t an unused tid and enters it in the table. Interrupts off. A tid whose bucket is taken
 * is skipped, so every bucket holds at most one thread and thread_find never walks a chain
 * (which a program could otherwise make long by keeping the threads whose tids collide).
 * There are at least twice as many buckets as there can be threads, so the skipping is short.
 */
_Static_assert(TID_HASH_SIZE >= 2 * SLEEPERS_MAX, "a tid bucket per thread, and half to spare");

static void tid_assign(struct thread *t)
{
    do {
        t->tid = next_tid;
        next_tid = next_tid == 0x7FFFFFFF ? 1 : next_tid + 1;
    } while (tid_hash[(u32)t->tid % TID_HASH_SIZE]);
    t->hash_next = NULL;
    tid_hash[(u32)t->tid % TID_HASH_SIZE] = t;
}

static void tid_release(struct thread *t)
{
    struct thread **p = &tid_hash[(u32)t->tid % TID_HASH_SIZE];
    while (*p != t)
        p = &(*p)->hash_next;
    *p = t->hash_next;
}

/* Frees one dead thread's kernel stack and record. Any thread but the dead one may do it. */
static void thread_free(struct thread *t)
{
    u32 was_on;
    kframe_free((u32)t->kstack, KSTACK_PAGES);
    kfree(t);
    was_on = irq_save();
    threads_unreaped--;
    irq_restore(was_on);
}

/* Frees every dead thread now; returns how many. Used when memory runs short, so that a
 * reaper that has not had the CPU yet does not make an allocation fail. */
static int reap_dead_threads(void)
{
    struct list *n;
    int freed = 0;
    for (;;) {
        u32 was_on = irq_save();
        n = list_pop_front(&dead_threads);
        irq_restore(was_on);
        if (!n)
            return freed;
        thread_free(CONTAINER_OF(n, struct thread, run_link));
        freed++;
    }
}

/* A new thread of `task` (NULL for a kernel thread), not yet runnable. NULL if out of memory. */
static struct thread *thread_new(struct task *task)
{
    struct thread *t = kzalloc(sizeof *t);
    u32 was_on;
    if (!t)
        return NULL;
    t->kstack = (u32 *)kframe_alloc_run(KSTACK_PAGES);  /* not zeroed: only the kernel */
    if (!t->kstack && reap_dead_threads())              /* reads it, and writes first */
        t->kstack = (u32 *)kframe_alloc_run(KSTACK_PAGES);  /* (short: collect the dead) */
    if (!t->kstack) {
        kfree(t);
        return NULL;
    }
    t->kstack[0] = KSTACK_CANARY;
    t->task = task;
    memcpy(t->fpu, fpu_initial, FPU_STATE_SIZE);
    list_init(&t->run_link);
    t->sleep_index = -1;
    list_init(&t->task_link);
    was_on = irq_save();
    tid_assign(t);
    if (task) {
        list_push_back(&task->threads, &t->task_link);
        task->thread_count++;
    }
    irq_restore(was_on);
    return t;
}

/* The user-mode register frame at the top of t's kernel stack. */
static struct trapframe *thread_user_frame(struct thread *t)
{
    return (struct trapframe *)kstack_top(t) - 1;
}

static void __attribute__((noreturn)) thread_exit(void);

/* A new user thread's first steps in the kernel: a task_vanish that began before it ran ends
 * it here, before it runs a single user instruction. Then on to trap_return. */
static void __attribute__((used)) thread_first_run(void)
{
    if (current->killed) {
        interrupts_on();
        thread_exit();
    }
}

/* Makes t's first switch_stacks "return" to thread_first_run and then to trap_return,
 * entering user mode with its user frame. */
static void thread_start_user(struct thread *t)
{
    u32 *sp = (u32 *)thread_user_frame(t);
    *--sp = (u32)trap_return;           /* where thread_first_run returns */
    *--sp = (u32)thread_first_run;      /* where switch_stacks returns */
    sp -= 4;                            /* edi esi ebx ebp: any value */
    t->kesp = (u32)sp;
}

static void __attribute__((noreturn, used)) kthread_start(void (*fn)(void *), void *arg)
{
    interrupts_on();
    fn(arg);
    thread_exit();
}

/* Starts a kernel thread running fn(arg). */
static struct thread *kthread_spawn(const char *name, void (*fn)(void *), void *arg)
{
    struct thread *t = thread_new(NULL);
    u32 *sp, was_on;
    if (!t)
        panic("cannot start kernel thread %s", name);
    t->kname = name;
    sp = (u32 *)kstack_top(t);
    *--sp = (u32)arg;
    *--sp = (u32)fn;
    *--sp = 0;                          /* kthread_start's return address: never used */
    *--sp = (u32)kthread_start;
    sp -= 4;
    t->kesp = (u32)sp;
    was_on = irq_save();
    runq_push(t);
    irq_restore(was_on);
    return t;
}

/* The reaper: frees the kernel stacks and records of dead threads. */
static void reaper_main(void *unused)
{
    (void)unused;
    for (;;) {
        u32 was_on = irq_save();
        while (list_empty(&dead_threads))
            thread_block(&reaper_wakeup);
        irq_restore(was_on);
        reap_dead_threads();
    }
}

static struct mutex task_tree_lock;     /* parent/child links, zombies, wait */
static struct task *init_task;          /* the first task: adopts orphans */
static struct mutex deschedule_lock;    /* deschedule against make_runnable (section 25) */

static struct task *task_new(const char *name)
{
    struct task *task = kzalloc(sizeof *task);
    if (!task && reap_dead_threads())               /* memory short: collect the dead first */
        task = kzalloc(sizeof *task);
    if (!task)
        return NULL;
    if (!(task->pd = pd_create()) && reap_dead_threads())
        task->pd = pd_create();
    if (!task->pd) {
        kfree(task);
        return NULL;
    }
    rwlock_init(&task->vm_lock, "task vm", LOCK_VM);
    cond_init(&task->child_exited);
    list_init(&task->regions);
    list_init(&task->threads);
    list_init(&task->children);
    list_init(&task->zombies);
    list_init(&task->child_link);
    strlcpy(task->name, name, sizeof task->name);
    return task;
}

/* Frees a task that never ran (fork failed half-way). */
static void task_discard(struct task *task)
{
    regions_free(task);
    pd_destroy(task->pd);
    kfree(task);
}

static void __attribute__((noreturn)) kernel_halt(int status);
static void guest_destroy(struct task *task);

/* Hands task's children, live and exited, to init. task_tree_lock held. */
static void task_orphan_children(struct task *task)
{
    struct list *n;
    int any = 0;
    while ((n = list_pop_front(&task->children))) {
        CONTAINER_OF(n, struct task, child_link)->parent = init_task;
        list_push_back(&init_task->children, n);
        any = 1;
    }
    while ((n = list_pop_front(&task->zombies))) {
        CONTAINER_OF(n, struct task, child_link)->parent = init_task;
        list_push_back(&init_task->zombies, n);
        any = 1;
    }
    if (any)
        cond_broadcast(&init_task->child_exited);
}

/*
 * The last thread of task is leaving: free the address space, give the children to init, and
 * leave the exit status for the parent. Allocates nothing, so it cannot fail. When init itself
 * ends, so does the machine, with init's status.
 */
static void task_exit(struct task *task)
{
    if (task == init_task)
        kernel_halt(task->exit_status);
    vm_activate(kernel_pd);
    rwlock_write_lock(&task->vm_lock);
    regions_free(task);
    if (task->guest)
        guest_destroy(task);
    pd_destroy(task->pd);
    task->pd = kernel_pd;
    rwlock_write_unlock(&task->vm_lock);
    console_release(task->console);
    task->console = NULL;
    mutex_lock(&task_tree_lock);
    task_orphan_children(task);
    task->state = TASK_ZOMBIE;
    list_remove(&task->child_link);
    list_push_back(&task->parent->zombies, &task->child_link);
    cond_broadcast(&task->parent->child_exited);
    mutex_unlock(&task_tree_lock);
}

/* Ends the calling thread, and its task with it when it is the last one. Never fails. */
static void __attribute__((noreturn)) thread_exit(void)
{
    struct thread *t = current;
    struct task *task = t->task;
    u32 was_on = irq_save();
    int last = 0;
    threads_unreaped++;                 /* from now on: free_frames waits for the reaper */
    if (task) {
        list_remove(&t->task_link);
        last = --task->thread_count == 0;
        t->task = NULL;                 /* from here on a kernel thread: the task may go */
    }
    irq_restore(was_on);
    if (last)
        task_exit(task);
    interrupts_off();
    tid_release(t);
    t->state = T_DEAD;
    list_push_back(&dead_threads, &t->run_link);
    waitq_wake_all(&reaper_wakeup);
    schedule();
    panic("a dead thread ran again");
}

/* Gives t the x87 registers the current thread has now (they live in the FPU while it runs). */
static void fpu_copy_current(struct thread *t)
{
    u32 was_on = irq_save();            /* no switch between the save and the reload */
    fpu_save(t->fpu);
    fpu_restore(t->fpu);
    irq_restore(was_on);
}

/*
 * fork: a new task with a copy-on-write copy of the caller's memory and one thread that
 * returns 0 from the same call. Only from a single-threaded task. On failure nothing changed.
 */
static int task_fork(struct trapframe *tf)
{
    struct task *parent = current->task, *child;
    struct thread *t = NULL;
    u32 was_on;
    int r;
    if (parent->thread_count != 1)
        return E_BUSY;
    if (!(child = task_new(parent->name)))
        return E_NOMEM;
    rwlock_write_lock(&parent->vm_lock);
    r = vm_fork(parent, child);
    rwlock_write_unlock(&parent->vm_lock);
    if (r < 0 || !(t = thread_new(child))) {
        task_discard(child);
        return r < 0 ? r : E_NOMEM;
    }
    child->tid = t->tid;
    child->console = console_hold();    /* the child starts on its parent's console */
    *thread_user_frame(t) = *tf;
    thread_user_frame(t)->eax = 0;      /* the child's fork() returns 0 */
    fpu_copy_current(t);
    t->swexn_esp3 = current->swexn_esp3;        /* the child keeps the swexn handler */
    t->swexn_eip = current->swexn_eip;
    t->swexn_arg = current->swexn_arg;
    thread_start_user(t);
    mutex_lock(&task_tree_lock);
    child->parent = parent;
    list_push_back(&parent->children, &child->child_link);
    mutex_unlock(&task_tree_lock);
    was_on = irq_save();
    runq_push(t);
    irq_restore(was_on);
    return t->tid;
}

/*
 * thread_fork: a new thread of the caller's task, starting from the same user registers with
 * %eax 0 and no swexn handler. Fails if memory is short or the task is being torn down.
 */
static int task_thread_fork(struct trapframe *tf)
{
    struct task *task = current->task;
    struct thread *t = thread_new(task);
    u32 was_on;
    if (!t)
        return E_NOMEM;
    *thread_user_frame(t) = *tf;
    thread_user_frame(t)->eax = 0;
    fpu_copy_current(t);
    thread_start_user(t);
    was_on = irq_save();
    t->killed = task->dying;            /* a task_vanish in progress takes it too */
    runq_push(t);
    irq_restore(was_on);
    return t->tid;
}

/*
 * Sets the status the task will exit with, unless task_vanish has already fixed it: a sibling
 * that was in the middle of set_status, or faults, while the task is being ended cannot
 * change what its parent sees. Interrupts off: task_vanish sets `dying` the same way.
 */
static void task_set_status(struct task *task, int status)
{
    u32 was_on = irq_save();
    if (!task->dying)
        task->exit_status = status;
    irq_restore(was_on);
}

/*
 * Marks the next KILL_BATCH threads of the task killed and wakes them wherever they wait.
 * Each one killed goes to the back of task->threads, behind the caller, so the front always
 * holds those still to do. Returns 0 once none is left. Interrupts off, for a bounded time.
 */
static int task_kill_batch(struct task *task)
{
    for (int i = 0; i < KILL_BATCH; i++) {
        struct thread *t = CONTAINER_OF(task->threads.next, struct thread, task_link);
        if (t == current || t->killed)
            return 0;                   /* the front is done: so is all of it */
        t->killed = 1;
        if (t->state == T_BLOCKED || t->state == T_SLEEPING || t->state == T_DESCHEDULED)
            thread_wake(t);
        list_remove(&t->task_link);
        list_push_back(&task->threads, &t->task_link);
    }
    return 1;
}

/*
 * task_vanish: every other thread of the task is marked killed and, wherever it waits, woken;
 * each leaves at its next return towards user mode (trap_exit_checks), and the last one out
 * ends the task. Every blocking loop in the kernel re-checks its condition after a wakeup, so
 * waking a thread early is always safe. The killing goes in batches, interrupts on between
 * them, so that no tick is lost however many threads the task has.
 */
static void __attribute__((noreturn)) task_vanish(int status)
{
    struct task *task = current->task;
    u32 was_on = irq_save();
    int more;
    task->exit_status = status;
    task->dying = 1;                    /* no new thread escapes: each is born killed */
    list_remove(&current->task_link);   /* the caller marks the end of the work */
    list_push_back(&task->threads, &current->task_link);
    irq_restore(was_on);
    do {
        was_on = irq_save();
        more = task_kill_batch(task);
        irq_restore(was_on);
    } while (more);
    thread_exit();
}

/* Counts a list's entries. */
static int list_length(const struct list *l)
{
    int n = 0;
    for (const struct list *p = l->next; p != l; p = p->next)
        n++;
    return n;
}

/*
 * wait: collects one exited child. A waiter gives up (E_CHILD) when the live children are
 * all spoken for by the task's other waiters and no exited child is left to take.
 */
static int task_wait(u32 status_ptr)
{
    struct task *me = current->task, *z;
    int r;
    if (status_ptr && !user_range_mapped(status_ptr, 4, 1))
        return E_FAULT;
    mutex_lock(&task_tree_lock);
    for (;;) {
        if (!list_empty(&me->zombies)) {
            z = CONTAINER_OF(me->zombies.next, struct task, child_link);
            if (status_ptr && copy_to_user(status_ptr, &z->exit_status, 4) < 0) {
                r = E_FAULT;
                break;
            }
            r = z->tid;
            list_remove(&z->child_link);
            kfree(z);
            cond_broadcast(&me->child_exited);  /* other waiters: re-count the children */
            break;
        }
        if (list_length(&me->children) <= me->waiting) {
            r = E_CHILD;
            break;
        }
        if (current->killed) {
            r = E_STATE;
            break;
        }
        me->waiting++;
        cond_wait(&me->child_exited, &task_tree_lock);
        me->waiting--;
    }
    mutex_unlock(&task_tree_lock);
    return r;
}

/* The idle thread is the boot context: its stack is entry.asm's boot stack. */
static void threads_init(void)
{
    fpu_init();
    idle_thread.kstack = (u32 *)boot_stack_bottom;
    idle_thread.kstack[0] = KSTACK_CANARY;
    idle_thread.kname = "idle";
    idle_thread.state = T_RUNNING;
    list_init(&idle_thread.run_link);
    idle_thread.sleep_index = -1;
    current = &idle_thread;
    mutex_init(&heap.lock, "heap", LOCK_HEAP);
    mutex_init(&kframe_lock, "kframe", LOCK_KFRAME);
    mutex_init(&task_tree_lock, "task tree", LOCK_TASK_TREE);
    mutex_init(&deschedule_lock, "deschedule", LOCK_DESCHEDULE);
    if (!(zero_frame = uframe_alloc()))
        panic("no user memory at all");
    tss_set_kernel_stack((u32)boot_stack_bottom + KSTACK_PAGES * PAGE_SIZE);
}

/* Interrupts on, and the first kernel thread (which stays on as the reaper). */
static void scheduler_start(void)
{
    scheduler_running = 1;
    interrupts_on();
    kthread_spawn("boot", boot_thread_main, NULL);
}

/*==== 20. Floppy driver ====*/
/*
 * The 82077AA-style controller, drive 0, 1.44 MB media (80 cylinders, 2 heads, 18 sectors of
 * 512 bytes). The unit of transfer is the rest of a track (one head, from the first sector
 * wanted to the 18th) read with one READ DATA through ISA DMA channel 2 into a bounce buffer
 * that lies below 16 MiB and inside one 64 KiB block. Tracks stay in a small LRU cache, so
 * reading a file is not one seek per sector. (Not the cylinder, nor a track's sectors before
 * the one wanted: the disk spins 11 ms past each sector, and files are read front to back.)
 * The caller sleeps while the controller works (IRQ 6 wakes it), with a time-out that resets
 * the controller if the interrupt never comes.
 *
 * One request at a time: floppy.lock serialises the controller and the cache.
 */

#define FDC_DOR         0x3F2       /* digital output: drive select, reset, DMA gate, motors */
#define FDC_MSR         0x3F4       /* main status */
#define FDC_FIFO        0x3F5
#define FDC_CCR         0x3F7       /* configuration control (write): data rate */
#define MSR_RQM         0x80        /* the FIFO is ready for a byte */
#define MSR_DIO         0x40        /* 1: controller to CPU */
#define DOR_RESET_OFF   0x04        /* 0 holds the controller in reset */
#define DOR_DMA_IRQ     0x08
#define DOR_MOTOR0      0x10
#define CMD_SPECIFY     0x03
#define CMD_RECALIBRATE 0x07
#define CMD_SENSE_INT   0x08
#define CMD_SEEK        0x0F
#define CMD_READ        0x66        /* READ DATA, MFM, SK (skip deleted sectors) */
#define FD_CYLINDERS    80
#define FD_HEADS        2
#define FD_SPT          18
#define FD_SECTOR       512
#define FD_TRACK_BYTES  (FD_SPT * FD_SECTOR)
#define FD_CYL_BYTES    (FD_HEADS * FD_TRACK_BYTES)
#define FD_DISK_BYTES   (FD_CYLINDERS * FD_CYL_BYTES)

static u8 floppy_dma_buf[FD_TRACK_BYTES] __attribute__((aligned(16384)));  /* no 64 KiB crossing */

struct track_cache {
    int track;                      /* cylinder * FD_HEADS + head; -1: empty */
    u32 first;                      /* the sectors held: first .. FD_SPT - 1 (from 0) */
    u32 last_use;
    u8 *data;                       /* FD_TRACK_BYTES, sector n at n * FD_SECTOR */
};

static struct {
    struct mutex lock;
    struct waitq irq_wait;
    volatile int irq_seen;
    int motor_on;
    u32 idle_since;                 /* tick of the last request, for the motor-off timer */
    int calibrated;
    int current_cyl;
    struct track_cache cache[FLOPPY_CACHE_TRACKS];
    u32 use_clock;
    u32 reads, hits, errors;        /* statistics */
} floppy;

/*
 * What boot.asm read already: to find KERNEL.BIN it loaded the boot sector (at 0x7C00), the
 * first FAT (at 0x0600) and the root directory (at 0x7E00), which the FAT12 code needs again
 * at once. Kept, they spare the boot two track reads (about 2 million instructions under Bochs:
 * a disk spins 11 ms past each sector). Copied by machine_init, before paging, whose windows
 * cover that memory, when boot.asm says they are there (BOOT_KEPT_MAGIC in boot_info.kept,
 * from its DI at the jump) and the sector and FAT look right; the places are boot.asm's
 * contract, the sizes its BPB's. Never changed afterwards (the file system is read-only), so
 * they need no lock.
 */
#define BOOT_FAT_ADDR       0x0600u
#define BOOT_SECTOR_ADDR    0x7C00u
#define BOOT_ROOT_ADDR      0x7E00u
#define BOOT_FAT_MAX        12          /* sectors: boot.asm's room for the FAT ... */
#define BOOT_ROOT_MAX       14          /* ... and what we keep of the root (224 entries) */

static struct boot_run {
    u32 lba, count;                     /* count 0: not kept */
    u8 *data;
} boot_runs[3];
static u8 boot_copy[(1 + BOOT_FAT_MAX + BOOT_ROOT_MAX) * FD_SECTOR];

/* Copies count sectors from physical address pa (low memory, paging still off) into boot_copy
 * at *used, and notes them as boot_runs[i]. */
static void boot_run_keep(int i, u32 lba, u32 count, u32 pa, u32 *used)
{
    const u8 *src;
    __asm__("" : "=r"(src) : "0"(pa));  /* gcc refuses constant addresses this low */
    memcpy(boot_copy + *used, src, count * FD_SECTOR);
    boot_runs[i] = (struct boot_run){ lba, count, boot_copy + *used };
    *used += count * FD_SECTOR;
}

static void boot_sectors_keep(void)
{
    const struct fat_bpb *b;
    const u8 *sector, *fat;
    u32 used = 0, root_start, root_sectors;
    __asm__("" : "=r"(sector) : "0"(BOOT_SECTOR_ADDR));
    __asm__("" : "=r"(fat) : "0"(BOOT_FAT_ADDR));
    b = (const struct fat_bpb *)sector;
    if (sector[510] != 0x55 || sector[511] != 0xAA || b->bytes_per_sector != FD_SECTOR
        || fat[0] != b->media || fat[1] != 0xFF || fat[2] != 0xFF)
        return;     /* not a boot sector and FAT (entries 0, 1: media, end): keep nothing */
    boot_run_keep(0, 0, 1, BOOT_SECTOR_ADDR, &used);
    if (b->sectors_per_fat && b->sectors_per_fat <= BOOT_FAT_MAX)
        boot_run_keep(1, b->reserved_sectors, b->sectors_per_fat, BOOT_FAT_ADDR, &used);
    root_start = b->reserved_sectors + (u32)b->fat_count * b->sectors_per_fat;
    root_sectors = (u32)b->root_entries * 32 / FD_SECTOR;
    if (root_sectors && root_sectors <= BOOT_ROOT_MAX)
        boot_run_keep(2, root_start, root_sectors, BOOT_ROOT_ADDR, &used);
}

/* Serves [pos, pos + len) of the disk from what boot.asm read, if it lies in one run. */
static int boot_sectors_read(u32 pos, void *dst, u32 len)
{
    for (int i = 0; i < 3; i++) {
        const struct boot_run *r = &boot_runs[i];
        u32 start = r->lba * FD_SECTOR, end = start + r->count * FD_SECTOR;
        if (r->count && pos >= start && pos + len <= end) {
            memcpy(dst, r->data + (pos - start), len);
            return 1;
        }
    }
    return 0;
}

/* IRQ 6: the controller finished a command. */
static void floppy_irq(void)
{
    floppy.irq_seen = 1;
    waitq_wake_all(&floppy.irq_wait);
}

/* Sleeps until IRQ 6 (or the time-out). Returns 0, or E_IO on time-out. */
static int floppy_wait_irq(void)
{
    u32 was_on = irq_save();
    int timed_out = 0;
    while (!floppy.irq_seen && !timed_out)
        timed_out = thread_block_timeout(&floppy.irq_wait, ms_to_ticks(FLOPPY_IRQ_TIMEOUT_MS));
    floppy.irq_seen = 0;
    irq_restore(was_on);
    return timed_out && !floppy.irq_seen ? E_IO : 0;
}

/* The controller answers within microseconds; these polls are bounded, not waits for events. */
static int fdc_send(u8 byte)
{
    for (int i = 0; i < 100000; i++)
        if ((inb(FDC_MSR) & (MSR_RQM | MSR_DIO)) == MSR_RQM) {
            outb(FDC_FIFO, byte);
            return 0;
        }
    return E_IO;
}

static int fdc_recv(void)
{
    for (int i = 0; i < 100000; i++)
        if ((inb(FDC_MSR) & (MSR_RQM | MSR_DIO)) == (MSR_RQM | MSR_DIO))
            return inb(FDC_FIFO);
    return E_IO;
}

/* SENSE INTERRUPT STATUS after a seek, recalibrate or reset: st0 and the present cylinder. */
static int fdc_sense(int *st0, int *cyl)
{
    if (fdc_send(CMD_SENSE_INT) < 0 || (*st0 = fdc_recv()) < 0 || (*cyl = fdc_recv()) < 0)
        return E_IO;
    return 0;
}

static u8 dor_value(void)
{
    return DOR_RESET_OFF | DOR_DMA_IRQ | (floppy.motor_on ? DOR_MOTOR0 : 0);
}

/* Resets the controller and programs its timings. Needs the interrupt to work. */
static int fdc_reset(void)
{
    int st0, cyl;
    floppy.irq_seen = 0;
    outb(FDC_DOR, 0);                   /* enter reset */
    outb(FDC_DOR, dor_value());         /* leave it: the controller interrupts when ready */
    if (floppy_wait_irq() < 0)
        return E_IO;
    for (int i = 0; i < 4; i++)         /* one sense per drive clears the reset condition */
        fdc_sense(&st0, &cyl);
    outb(FDC_CCR, 0);                   /* 500 kbit/s: 1.44 MB media */
    if (fdc_send(CMD_SPECIFY) < 0 || fdc_send(0xDF) < 0 /* step rate 3 ms, head unload 240 ms */
        || fdc_send(0x02) < 0)          /* head load 4 ms, DMA mode */
        return E_IO;
    floppy.calibrated = 0;
    return 0;
}

static void floppy_motor(int on)
{
    if (on && !floppy.motor_on) {
        floppy.motor_on = 1;
        outb(FDC_DOR, dor_value());
        u32 was_on = irq_save();        /* let the disk spin up */
        thread_sleep_until(ticks + ms_to_ticks(FLOPPY_SPINUP_MS));
        irq_restore(was_on);
    } else if (!on && floppy.motor_on) {
        floppy.motor_on = 0;
        outb(FDC_DOR, dor_value());
    }
}

/* From the timer: turn the motor off after a while without requests (no lock: one write). */
static void floppy_tick(void)
{
    if (floppy.motor_on && !floppy.lock.owner
        && ticks - floppy.idle_since > ms_to_ticks(FLOPPY_MOTOR_OFF_MS)) {
        floppy.motor_on = 0;
        outb(FDC_DOR, dor_value());
    }
}

/* Seeks (or recalibrates, for cyl < 0) and checks where the head ended up. */
static int fdc_seek(int cyl)
{
    int st0, pcn;
    floppy.irq_seen = 0;
    if (cyl < 0) {
        if (fdc_send(CMD_RECALIBRATE) < 0 || fdc_send(0) < 0)
            return E_IO;
    } else if (fdc_send(CMD_SEEK) < 0 || fdc_send(0) < 0 || fdc_send((u8)cyl) < 0) {
        return E_IO;
    }
    if (floppy_wait_irq() < 0 || fdc_sense(&st0, &pcn) < 0)
        return E_IO;
    if ((st0 & 0xC0) || pcn != (cyl < 0 ? 0 : cyl))
        return E_IO;
    floppy.current_cyl = pcn;
    return 0;
}

/* Programs DMA channel 2 to move `len` bytes from the controller into floppy_dma_buf. */
static void dma_setup_read(u32 len)
{
    u32 addr = (u32)floppy_dma_buf;
    outb(0x0A, 0x06);                   /* mask channel 2 */
    outb(0x0C, 0xFF);                   /* reset the address/count flip-flop */
    outb(0x04, addr & 0xFF);            /* address, low byte then high byte */
    outb(0x04, (addr >> 8) & 0xFF);
    outb(0x81, (addr >> 16) & 0xFF);    /* page register: address bits 16..23 */
    outb(0x0C, 0xFF);
    outb(0x05, (len - 1) & 0xFF);       /* count - 1, low then high */
    outb(0x05, ((len - 1) >> 8) & 0xFF);
    outb(0x0B, 0x46);                   /* single transfer, increment, device to memory, ch 2 */
    outb(0x0A, 0x02);                   /* unmask channel 2 */
}

/* Reads sectors first .. FD_SPT - 1 (from 0) of one track into floppy_dma_buf. One attempt. */
static int fdc_read_track(int track, u32 first)
{
    /* 512-byte sectors (code 2), last sector of the track, gap length, data length */
    static const u8 cmd_tail[] = { 2, FD_SPT, 0x1B, 0xFF };
    int cyl = track / FD_HEADS, head = track % FD_HEADS;
    u8 result[7];
    if (!floppy.calibrated) {
        if (fdc_seek(-1) < 0)
            return E_IO;
        floppy.calibrated = 1;
    }
    if (floppy.current_cyl != cyl && fdc_seek(cyl) < 0)
        return E_IO;
    dma_setup_read((FD_SPT - first) * FD_SECTOR);
    floppy.irq_seen = 0;
    if (fdc_send(CMD_READ) < 0 || fdc_send((u8)(head << 2)) < 0 || fdc_send((u8)cyl) < 0
        || fdc_send((u8)head) < 0       /* (head << 2 | drive 0), cylinder, head, */
        || fdc_send((u8)(first + 1)) < 0)       /* the first sector (from 1) */
        return E_IO;
    for (u32 i = 0; i < sizeof cmd_tail; i++)
        if (fdc_send(cmd_tail[i]) < 0)
            return E_IO;
    if (floppy_wait_irq() < 0)
        return E_IO;
    for (int i = 0; i < 7; i++) {
        int b = fdc_recv();
        if (b < 0)
            return E_IO;
        result[i] = (u8)b;
    }
    return (result[0] & 0xC0) ? E_IO : 0;      /* ST0 interrupt code 0: normal termination */
}

/* Reads a track from sector first with retries, recalibrating and finally resetting between
 * attempts. */
static int floppy_read_track(int track, u32 first)
{
    for (int attempt = 0; attempt < FLOPPY_RETRIES; attempt++) {
        if (fdc_read_track(track, first) == 0)
            return 0;
        floppy.errors++;
        floppy.calibrated = 0;
        if (attempt == FLOPPY_RETRIES / 2)
            fdc_reset();
    }
    return E_IO;
}

/* The cache slot holding a track from sector `first` (from 0) on, reading it if needed.
 * Called with floppy.lock held. */
static struct track_cache *floppy_track(int track, u32 first)
{
    struct track_cache *slot = NULL, *lru = &floppy.cache[0];
    for (int i = 0; i < FLOPPY_CACHE_TRACKS; i++) {
        struct track_cache *c = &floppy.cache[i];
        if (c->track == track && c->first <= first) {
            floppy.hits++;
            c->last_use = ++floppy.use_clock;
            return c;
        }
        if (c->track == track)
            slot = c;                   /* holds less of the track than wanted: read again */
        if (c->last_use < lru->last_use)
            lru = c;
    }
    if (!slot)
        slot = lru;
    floppy_motor(1);
    floppy.reads++;
    slot->track = -1;
    if (floppy_read_track(track, first) < 0)
        return NULL;
    memcpy(slot->data + first * FD_SECTOR, floppy_dma_buf, (FD_SPT - first) * FD_SECTOR);
    slot->track = track;
    slot->first = first;
    slot->last_use = ++floppy.use_clock;
    return slot;
}

/*
 * Copies `len` bytes starting `offset` bytes into sector `lba` (spanning sectors if needed) into
 * the kernel buffer dst. Returns 0 or E_IO.
 */
static int floppy_read(u32 lba, u32 offset, void *dst, u32 len)
{
    u32 pos = lba * FD_SECTOR + offset;
    int err = 0;                        /* the track that failed */
    if (pos + len > FD_DISK_BYTES || pos + len < pos)
        return E_IO;
    if (boot_sectors_read(pos, dst, len))
        return 0;
    mutex_lock(&floppy.lock);
    while (len) {
        u32 in_track = pos % FD_TRACK_BYTES, n = min_u32(len, FD_TRACK_BYTES - in_track);
        struct track_cache *t = floppy_track((int)(pos / FD_TRACK_BYTES), in_track / FD_SECTOR);
        if (!t) {
            err = (int)(pos / FD_TRACK_BYTES);
            break;
        }
        memcpy(dst, t->data + in_track, n);
        dst = (u8 *)dst + n;
        pos += n;
        len -= n;
    }
    floppy.idle_since = ticks;
    mutex_unlock(&floppy.lock);
    if (len) {                          /* reported here: printf may not run under our lock */
        printf("floppy: cannot read cylinder %d, head %d\n", err / FD_HEADS, err % FD_HEADS);
        return E_IO;
    }
    return 0;
}

static void floppy_init(void)
{
    mutex_init(&floppy.lock, "floppy", LOCK_FLOPPY);
    /* Still spinning from the BIOS's reads, so no spin-up: some BIOSes say so in their data
     * area, others (Bochs's) only in the controller's DOR, which an 82077AA lets us read. */
    floppy.motor_on = (bios_motors & 1) || (inb(FDC_DOR) & (DOR_MOTOR0 | 3)) == DOR_MOTOR0;
    floppy.idle_since = ticks;
    list_init(&floppy.irq_wait.threads);
    for (int i = 0; i < FLOPPY_CACHE_TRACKS; i++) {
        floppy.cache[i].track = -1;
        floppy.cache[i].data = kmalloc(FD_TRACK_BYTES);
        if (!floppy.cache[i].data)
            panic("no memory for the floppy cache");
    }
    pic_unmask(IRQ_FLOPPY);
    if (fdc_reset() < 0)
        printf("floppy: the controller does not answer\n");
}

/*==== 21. FAT12 ====*/
/*
 * The floppy's file system, read-only. Sector 0 holds the BIOS parameter block; then the
 * reserved sectors, the FATs, the fixed-size root directory, and the data area, whose
 * cluster n starts at sector data_start + (n - 2) * sectors_per_cluster. The FAT gives each
 * cluster's successor in 12 bits: >= 0xFF8 ends a chain, 0xFF7 marks a bad cluster.
 *
 * Names: a VFAT long name is stored as "LFN" entries just before the 8.3 entry, last piece
 * first, 13 UCS-2 characters each, tied to the 8.3 entry by a checksum of its name. mtools
 * writes an all-lower-case 8.3 name without LFN entries, flagging the case in byte 12 instead.
 * Lookups are case-sensitive against the long name (or the 8.3 name shown with its case).
 *
 * Nothing on the disk is trusted: every cluster number is range-checked, every chain walk is
 * bounded by the number of clusters (a loop is an error), and a file whose chain ends before
 * its size says is an error (E_IO), never a hang.
 */

#define FAT_EOC_MIN     0xFF8
#define FAT_BAD         0xFF7
#define FAT_NAME_MAX    255

static struct {
    int mounted;
    u32 sectors_per_cluster, cluster_bytes;
    u32 fat_start, root_start, root_entries, data_start, total_clusters;
    u8 *fat;                            /* the first FAT, whole */
    u32 fat_bytes;
} fat;

struct fat_entry {                      /* one file or directory, as a lookup finds it */
    char name[FAT_NAME_MAX + 1];
    u32 cluster, size;
    int is_dir;
};

static struct mutex fat_index_lock;     /* building the root index (below) */

static int fat_mount(void)
{
    struct fat_bpb b;
    u32 total, root_sectors, last;
    if (disk_read(0, 0, &b, sizeof b) < 0)
        return E_IO;
    total = b.total_sectors16 ? b.total_sectors16 : b.total_sectors32;
    root_sectors = (u32)b.root_entries * 32 / FD_SECTOR;
    if (b.bytes_per_sector != FD_SECTOR || !b.sectors_per_cluster || !b.fat_count
        || (b.sectors_per_cluster & (b.sectors_per_cluster - 1)) || !b.reserved_sectors
        || !b.sectors_per_fat || !b.root_entries || b.root_entries % 16
        || total > FD_CYLINDERS * FD_HEADS * FD_SPT)
        return E_IO;
    fat.sectors_per_cluster = b.sectors_per_cluster;
    fat.cluster_bytes = b.sectors_per_cluster * FD_SECTOR;
    fat.fat_start = b.reserved_sectors;
    fat.root_start = fat.fat_start + (u32)b.fat_count * b.sectors_per_fat;
    fat.root_entries = b.root_entries;
    fat.data_start = fat.root_start + root_sectors;
    if (fat.data_start >= total)
        return E_IO;
    fat.total_clusters = (total - fat.data_start) / b.sectors_per_cluster;
    fat.fat_bytes = (u32)b.sectors_per_fat * FD_SECTOR;
    /* Entry c of the FAT is read from bytes c + c/2 and the one after: the last cluster's
     * (total_clusters + 1) must lie wholly inside. */
    last = fat.total_clusters + 1;
    if (fat.total_clusters >= 4085 || fat.fat_bytes < last + last / 2 + 2)
        return E_IO;                    /* not FAT12, or a FAT too small for the clusters */
    if (!(fat.fat = kmalloc(fat.fat_bytes)))
        return E_NOMEM;
    if (disk_read(fat.fat_start, 0, fat.fat, fat.fat_bytes) < 0)
        return E_IO;
    mutex_init(&fat_index_lock, "root index", LOCK_FAT_INDEX);
    fat.mounted = 1;
    return 0;
}

static int fat_cluster_valid(u32 c) { return c >= 2 && c < fat.total_clusters + 2; }

/* The 12-bit FAT entry of cluster c (c already validated). */
static u32 fat_entry_of(u32 c)
{
    u32 off = c + c / 2;
    u32 v = fat.fat[off] | (u32)fat.fat[off + 1] << 8;
    return c & 1 ? v >> 4 : v & 0xFFF;
}

/*
 * A walk along one cluster chain. `steps` bounds it: a chain longer than the disk has clusters
 * must contain a loop.
 */
struct chain {
    u32 cluster;                        /* current cluster; 0 once the chain has ended */
    u32 steps;
};

static int chain_start(struct chain *ch, u32 first)
{
    ch->cluster = first;
    ch->steps = 0;
    return first == 0 || fat_cluster_valid(first) ? 0 : E_IO;
}

/* Moves to the next cluster. Returns 0 (cluster becomes 0 at the end) or E_IO. */
static int chain_next(struct chain *ch)
{
    u32 next = fat_entry_of(ch->cluster);
    if (++ch->steps > fat.total_clusters)
        return E_IO;                    /* a loop */
    if (next >= FAT_EOC_MIN) {
        ch->cluster = 0;
        return 0;
    }
    if (!fat_cluster_valid(next))       /* free, bad, reserved or past the end */
        return E_IO;
    ch->cluster = next;
    return 0;
}

static u32 cluster_lba(u32 c) { return fat.data_start + (c - 2) * fat.sectors_per_cluster; }

/* Iterates the raw 32-byte entries of a directory (cluster 0: the root). */
struct dir_iter {
    struct chain ch;
    int is_root;
    u32 index;                          /* entry number within the root, or within the cluster */
    u8 *sector;                         /* the sector of the last entry read (kmalloc'ed) ... */
    u32 sector_lba;                     /* ... and its number: one disk read per 16 entries */
};

/* Starts reading directory `cluster` (0: the root); dir_close ends it, if this succeeded. */
static int dir_open(struct dir_iter *it, u32 cluster)
{
    int r;
    it->is_root = cluster == 0;
    it->index = 0;
    it->sector_lba = ~0u;
    if (!(it->sector = kmalloc(FD_SECTOR)))
        return E_NOMEM;
    if ((r = chain_start(&it->ch, cluster)) < 0)
        kfree(it->sector);
    return r;
}

static void dir_close(struct dir_iter *it)
{
    kfree(it->sector);
}

/* Reads the next raw entry. Returns 1, 0 at the end of the directory, or E_IO. */
static int dir_next_raw(struct dir_iter *it, struct fat_dirent *e)
{
    u32 per_cluster = fat.cluster_bytes / 32, lba, offset;
    if (it->is_root) {
        if (it->index >= fat.root_entries)
            return 0;
        lba = fat.root_start + it->index / 16;
    } else {
        if (it->index == per_cluster) {
            if (chain_next(&it->ch) < 0)
                return E_IO;
            it->index = 0;
        }
        if (!it->ch.cluster)
            return 0;
        lba = cluster_lba(it->ch.cluster) + it->index / 16;
    }
    offset = (it->index % 16) * 32;
    it->index++;
    if (lba != it->sector_lba) {
        if (disk_read(lba, 0, it->sector, FD_SECTOR) < 0)
            return E_IO;
        it->sector_lba = lba;
    }
    memcpy(e, it->sector + offset, sizeof *e);
    return e->name[0] == 0 ? 0 : 1;     /* a zero first byte ends the directory */
}

static u8 short_name_checksum(const char name[11])
{
    u8 sum = 0;
    for (int i = 0; i < 11; i++)
        sum = (u8)(((sum & 1) << 7) + (sum >> 1) + (u8)name[i]);
    return sum;
}

/* "NAME.EXT" from an 8.3 entry, lower-cased where byte 12 says so. */
static void short_name_format(const struct fat_dirent *e, char *out)
{
    int n = 0;
    for (int i = 0; i < 8 && e->name[i] != ' '; i++) {
        char c = i == 0 && e->name[0] == 0x05 ? (char)0xE5 : e->name[i];
        out[n++] = (e->nt_case & FAT_NT_LOWER_BASE) && c >= 'A' && c <= 'Z' ? c + 32 : c;
    }
    if (e->name[8] != ' ')
        out[n++] = '.';
    for (int i = 8; i < 11 && e->name[i] != ' '; i++) {
        char c = e->name[i];
        out[n++] = (e->nt_case & FAT_NT_LOWER_EXT) && c >= 'A' && c <= 'Z' ? c + 32 : c;
    }
    out[n] = 0;
}

/* Long-name assembly state across the LFN entries before an 8.3 entry. */
struct lfn_state {
    char name[FAT_NAME_MAX + 1];
    int expect;                         /* the order number of the next piece; 0: complete */
    int valid;
    u8 checksum;
};

static void lfn_put(char *name, int pos, u16 ch)
{
    if (pos < FAT_NAME_MAX && ch != 0xFFFF)
        name[pos] = ch == 0 ? 0 : ch < 0x80 ? (char)ch : '?';
}

static void lfn_add(struct lfn_state *s, const struct fat_lfn *l)
{
    int order = l->order & 0x1F, base;
    if (l->order & FAT_LFN_LAST) {
        memset(s->name, 0, sizeof s->name);
        s->valid = order >= 1 && order <= 20;
        s->expect = order;
        s->checksum = l->checksum;
    }
    if (!s->valid || order < 1 || order != s->expect || l->checksum != s->checksum) {
        s->valid = 0;
        return;
    }
    base = (order - 1) * 13;
    for (int i = 0; i < 5; i++) lfn_put(s->name, base + i, l->name1[i]);
    for (int i = 0; i < 6; i++) lfn_put(s->name, base + 5 + i, l->name2[i]);
    for (int i = 0; i < 2; i++) lfn_put(s->name, base + 11 + i, l->name3[i]);
    s->expect--;
}

/* The next file or directory of a directory (skipping deleted entries, the volume label and
 * "." / ".."). Returns 1, 0 at the end, or E_IO. */
static int dir_next(struct dir_iter *it, struct fat_entry *out)
{
    struct fat_dirent e;
    struct lfn_state lfn = { .valid = 0 };
    int r;
    while ((r = dir_next_raw(it, &e)) == 1) {
        if ((u8)e.name[0] == FAT_DELETED) {
            lfn.valid = 0;
            continue;
        }
        if ((e.attr & 0x3F) == FAT_ATTR_LFN) {
            lfn_add(&lfn, (const struct fat_lfn *)&e);
            continue;
        }
        if ((e.attr & FAT_ATTR_VOLUME) || e.name[0] == '.') {
            lfn.valid = 0;
            continue;
        }
        if (lfn.valid && lfn.expect == 0 && lfn.checksum == short_name_checksum(e.name))
            strlcpy(out->name, lfn.name, sizeof out->name);
        else
            short_name_format(&e, out->name);
        out->cluster = e.cluster;
        out->size = e.size;
        out->is_dir = (e.attr & FAT_ATTR_DIR) != 0;
        if (out->cluster && !fat_cluster_valid(out->cluster))
            return E_IO;
        return 1;
    }
    return r;
}

/*
 * The root directory's index: built once, at the first lookup after mount, a record per entry
 * (name, first cluster, size, directory or not) in a hash table by name. A lookup in the root,
 * which every exec and most readfiles are, is then one probe instead of a walk of up to 224
 * entries decoding long names. The disk is read-only, so the index never goes stale; if it
 * cannot be built (short of memory, a bad directory), lookups walk the root as before.
 */
struct root_name {
    struct root_name *next;             /* in the same bucket */
    u32 cluster, size;
    int is_dir;
    char name[];
};

static struct {
    struct root_name *bucket[ROOT_INDEX_BUCKETS];
    int state;                          /* 0 not tried, 1 built, -1 could not be built */
} root_index;

static u32 name_hash(const char *name, size_t len)
{
    u32 h = 2166136261u;                /* FNV-1a */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (u8)name[i]) * 16777619u;
    return h % ROOT_INDEX_BUCKETS;
}

static struct root_name *root_index_find(const char *name, size_t len)
{
    struct root_name *n = root_index.bucket[name_hash(name, len)];
    while (n && !(strlen(n->name) == len && !strncmp(n->name, name, len)))
        n = n->next;
    return n;
}

/* Adds an entry (the first of a name wins, as for a walk). 0, or E_NOMEM. */
static int root_index_add(const struct fat_entry *e)
{
    size_t len = strlen(e->name);
    struct root_name *n;
    if (root_index_find(e->name, len))
        return 0;
    if (!(n = kmalloc(sizeof *n + len + 1)))
        return E_NOMEM;
    n->cluster = e->cluster;
    n->size = e->size;
    n->is_dir = e->is_dir;
    memcpy(n->name, e->name, len + 1);
    n->next = root_index.bucket[name_hash(e->name, len)];
    root_index.bucket[name_hash(e->name, len)] = n;
    return 0;
}

static void root_index_drop(void)
{
    for (int b = 0; b < ROOT_INDEX_BUCKETS; b++)
        while (root_index.bucket[b]) {
            struct root_name *n = root_index.bucket[b];
            root_index.bucket[b] = n->next;
            kfree(n);
        }
}

/* Builds the index from the whole root directory. Called with fat_index_lock held. */
static void root_index_build(void)
{
    static struct fat_entry e;          /* (too big for a kernel stack; the lock guards it) */
    struct dir_iter it;
    int r = dir_open(&it, 0);
    if (r == 0) {
        while ((r = dir_next(&it, &e)) == 1 && (r = root_index_add(&e)) == 0)
            ;
        dir_close(&it);
    }
    if (r < 0)
        root_index_drop();
    root_index.state = r < 0 ? -1 : 1;
}

/* Looks name up in the index: 1 found (in *out), 0 not there, -1 no index to ask. */
static int root_index_lookup(const char *name, size_t len, struct fat_entry *out)
{
    struct root_name *n;
    mutex_lock(&fat_index_lock);
    if (root_index.state == 0)
        root_index_build();
    mutex_unlock(&fat_index_lock);
    if (root_index.state < 0)
        return -1;
    if (!(n = root_index_find(name, len)))
        return 0;
    memcpy(out->name, n->name, strlen(n->name) + 1);
    out->cluster = n->cluster;
    out->size = n->size;
    out->is_dir = n->is_dir;
    return 1;
}

/* Finds a file by path ("a/b/c", components separated by '/'). 0, E_NOENT or E_IO. */
static int fat_lookup(const char *path, struct fat_entry *out)
{
    u32 dir = 0;
    if (!fat.mounted)
        return E_IO;
    for (;;) {
        const char *slash = path;
        struct dir_iter it;
        size_t len;
        int r;
        while (*slash && *slash != '/')
            slash++;
        len = (size_t)(slash - path);
        if (len == 0 || len > FAT_NAME_MAX)
            return E_NOENT;
        if (dir != 0 || (r = root_index_lookup(path, len, out)) < 0) {
            if ((r = dir_open(&it, dir)) < 0)
                return r;
            while ((r = dir_next(&it, out)) == 1)
                if (strlen(out->name) == len && !strncmp(out->name, path, len))
                    break;
            dir_close(&it);
        }
        if (r <= 0)
            return r < 0 ? r : E_NOENT;
        if (!*slash)
            return 0;
        if (!out->is_dir)
            return E_NOENT;
        dir = out->cluster;
        path = slash + 1;
    }
}

/*
 * Checks a file's whole cluster chain before anything is read from it: every link valid, no
 * loop, and exactly as many clusters as its size needs. A file with a damaged chain is an
 * error as a whole (E_IO), even where the damage lies past the bytes asked for.
 */
static int fat_check_chain(const struct fat_entry *f)
{
    struct chain ch;
    u32 need = (f->size + fat.cluster_bytes - 1) / fat.cluster_bytes, have = 0;
    int r = chain_start(&ch, f->cluster);
    while (r == 0 && ch.cluster) {
        have++;
        r = chain_next(&ch);
    }
    return r < 0 || have != need ? E_IO : 0;
}

/* Where fat_read delivers the bytes it reads: kernel memory, user memory, a new address space. */
typedef int (*fat_sink)(void *ctx, u32 pos, const void *data, u32 len);

/*
 * Reads `count` bytes of file f from `offset` (already clipped to the file size), handing them
 * to sink in pieces of at most one sector. Returns the byte count, or E_IO / the sink's error.
 */
static int fat_read(const struct fat_entry *f, u32 offset, u32 count, fat_sink sink, void *ctx)
{
    struct chain ch;
    u8 sector[FD_SECTOR];
    u32 done = 0;
    int r;
    if ((r = fat_check_chain(f)) < 0 || (r = chain_start(&ch, f->cluster)) < 0)
        return r;
    for (u32 skip = offset / fat.cluster_bytes; skip && ch.cluster; skip--)
        if ((r = chain_next(&ch)) < 0)
            return r;
    offset %= fat.cluster_bytes;
    while (done < count) {
        u32 n = min_u32(count - done, FD_SECTOR - offset % FD_SECTOR);
        if (!ch.cluster)
            return E_IO;                /* the chain is shorter than the size claims */
        if (disk_read(cluster_lba(ch.cluster) + offset / FD_SECTOR, 0, sector, FD_SECTOR) < 0)
            return E_IO;
        if ((r = sink(ctx, done, sector + offset % FD_SECTOR, n)) < 0)
            return r;
        done += n;
        offset += n;
        if (offset == fat.cluster_bytes) {
            offset = 0;
            if ((r = chain_next(&ch)) < 0)
                return r;
        }
    }
    return (int)done;
}

static int sink_to_kernel(void *ctx, u32 pos, const void *data, u32 len)
{
    memcpy((u8 *)ctx + pos, data, len);
    return 0;
}

/* Reads part of a file into kernel memory: fat_read clipped to the file's size. */
static int fat_read_kernel(const struct fat_entry *f, void *dst, u32 count, u32 offset)
{
    if (offset > f->size)
        return E_INVAL;
    return fat_read(f, offset, min_u32(count, f->size - offset), sink_to_kernel, dst);
}

/*
 * Appends every file name under directory `cluster` (prefixed) to the "." listing. A corrupt
 * disk may make directories list themselves or each other many times over, so the walk is
 * bounded twice: FAT_MAX_DEPTH levels, and FAT_LISTING_DIRS directories in all (*dirs_left),
 * beyond which the disk is called corrupt. A kill ends it early.
 */
static int fat_list_dir(u32 cluster, const char *prefix, int depth, u32 *dirs_left, char *buf,
                        u32 *len)
{
    struct dir_iter it;
    struct fat_entry *e = kmalloc(sizeof *e);
    char *path = kmalloc(FAT_NAME_MAX + 1);
    int r = e && path ? dir_open(&it, cluster) : E_NOMEM, opened = r >= 0;
    if (r >= 0 && (*dirs_left)-- == 0)
        r = E_IO;
    while (r >= 0 && !current->killed && (r = dir_next(&it, e)) == 1) {
        snprintf(path, FAT_NAME_MAX + 1, "%s%s%s", prefix, *prefix ? "/" : "", e->name);
        if (e->is_dir) {
            if (depth < FAT_MAX_DEPTH)
                r = fat_list_dir(e->cluster, path, depth + 1, dirs_left, buf, len);
            continue;
        }
        u32 n = strlen(path) + 1;
        if (*len + n + 1 > FAT_LISTING_MAX) {
            r = E_NOMEM;
            break;
        }
        memcpy(buf + *len, path, n);
        *len += n;
    }
    if (opened)
        dir_close(&it);
    kfree(e);
    kfree(path);
    return r < 0 ? r : current->killed ? E_IO : 0;
}

/* Builds the "." file: every file name on the disk, each followed by a NUL, then one more NUL.
 * Returns a kmalloc'ed buffer (caller frees) and its length, or NULL. */
static char *fat_listing(u32 *len, int *err)
{
    char *buf = kmalloc(FAT_LISTING_MAX);
    u32 dirs_left = FAT_LISTING_DIRS;
    *len = 0;
    *err = buf ? fat_list_dir(0, "", 0, &dirs_left, buf, len) : E_NOMEM;
    if (*err < 0) {
        kfree(buf);
        return NULL;
    }
    buf[(*len)++] = 0;
    return buf;
}

/*==== 22. Hypervisor: Pebbles kernels as guests ====*/
/*
 * A guest is a Pebbles kernel that runs as the only thread of an ordinary task (PebPeb v2,
 * doc/syscalls.md section 16). exec starts one when every loadable segment of the file lies
 * below 16 MiB. This section owns what makes such a task different:
 *
 *   Memory.     24 MiB of guest-physical memory, a frame each page, taken on first touch
 *               from frames nobody was promised (uframe_alloc) and kept in g->frames. No
 *               frame is reserved up front: two guests and a shell fit in 64 MiB only
 *               because guests rarely touch all of theirs. A guest that touches a page when
 *               no unpromised frame is left is crashed: it never takes another task's frame.
 *   Segments.   Guest code and data run at CPL 3 on GDT_GUEST_CS/DS, whose base is 16 MiB:
 *               guest-virtual v is host-linear v + 16 MiB, the task's user half.
 *
 *                 host linear  0 ........ 16 MiB .................................. 4 GiB
 *                              | host kernel | guest-virtual 0 ........ 0xFEFFFFFF |
 *                              (supervisor)    (shadow page tables, filled on demand)
 *
 *   Modes.      g->mode is guest-kernel or guest-user, g->vif the virtual interrupt flag.
 *               Each mode has its own host page directory (g->view[mode]): the guest-user
 *               view maps only what the guest's tables give user mode. task->pd is the
 *               view of the current mode, so the scheduler loads the right one.
 *   Shadows.    A host page fault in the guest region is filled by walking the guest's own
 *               tables (or 1:1 before hv_setpd): one PTE at a time, on demand, into shadow
 *               page tables. At most GUEST_SHADOW_MAX of them exist per guest; when more
 *               are needed every shadow table is dropped and refilled as the guest runs, so
 *               a guest pointing 1,020 directory entries at one table costs no more.
 *               hv_setpd drops them all (and so flushes the TLB); hv_adjustpg one PTE.
 *   Delivery.   Every trap from the guest comes to guest_trap: hypercalls (INT 0xDE),
 *               shadow fills, and everything the guest must see: exceptions, INT n, and,
 *               on the way back to it (guest_events), the virtual timer (100 Hz) and key
 *               events of its console while in front. A delivery pushes the PebPeb frame
 *               on the guest's stack (esp0 when it was in guest-user mode), clears the
 *               virtual IF and enters the handler in guest-kernel mode.
 *   Crashes.    Anything the contract calls bad ends only that guest, with a one-line
 *               report on its console and status 0xDEADC0DE.
 */

#define HV_MAGIC            0xC001C0DEu /* hv_magic's answer */
#define GUEST_CRASHED       0xDEADC0DEu /* the status of a crashed guest */
#define EFLAGS_GUEST_BAD    0x001A7000u /* IOPL, NT, VM, VIF, VIP: hv_iret refuses them */

enum { GUEST_KERNEL, GUEST_USER };

/* The guest of the running task. */
static struct guest *guest_current(void) { return current->task->guest; }

/* Ends the running guest: one line on its console, status 0xDEADC0DE. */
static void __attribute__((noreturn, format(printf, 1, 2))) guest_crash(const char *fmt, ...)
{
    char why[120];
    va_list ap;
    struct task *task = current->task;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    interrupts_on();                    /* leaving takes locks */
    printf("hypervisor: guest %s (task %d) crashed: %s\n", task->name, task->tid, why);
    task_set_status(task, (int)GUEST_CRASHED);
    thread_exit();
}

/* --- guest memory --- */

/* The host frame behind guest-physical page gpa, taken on first touch; 0 if none is free. */
static u32 guest_frame(struct guest *g, u32 gpa)
{
    u32 *slot = &g->frames[gpa / PAGE_SIZE];
    if (!*slot)
        *slot = uframe_alloc();         /* zeroed; only frames nobody was promised */
    return *slot;
}

/* guest_frame for the running guest, which is crashed when memory is short. */
static u32 guest_frame_or_crash(struct guest *g, u32 gpa)
{
    u32 pa = guest_frame(g, gpa);
    if (!pa)
        guest_crash("out of memory at guest-physical 0x%08x", gpa);
    return pa;
}

/* Reads the word at guest-physical gpa (a page-table entry). */
static u32 guest_phys_word(struct guest *g, u32 gpa)
{
    u32 *w, v;
    if (gpa >= GUEST_MEM)
        guest_crash("page table at 0x%08x, beyond guest memory", gpa);
    w = window_map(guest_frame_or_crash(g, gpa & PTE_FRAME));
    v = w[(gpa & (PAGE_SIZE - 1)) / 4];
    window_unmap(w);
    return v;
}

/* What one access to a guest-virtual page may do, from the guest's tables. */
struct guest_xlate {
    u32 gpa;                            /* the guest-physical page */
    int writable;                       /* this mode may write it */
    u32 pf_error;                       /* if refused: the page-fault error code for the guest */
};

/*
 * Translates gva for an access (write, user) through the guest's tables as the contract says:
 * user mode needs the user bit at both levels, a write needs the writable bit at both levels
 * (in guest-kernel mode, or wp = 0). Returns 0, or 1 with x->pf_error set for a fault the
 * guest should see. A frame beyond guest memory crashes the guest.
 */
static int guest_translate(struct guest *g, u32 gva, int write, int user, struct guest_xlate *x)
{
    u32 pde, pte, both;
    x->pf_error = (write ? PF_WRITE : 0) | (user ? PF_USER : 0);
    if (!g->paging) {
        if (gva >= GUEST_MEM)
            guest_crash("address 0x%08x beyond guest memory (paging off)", gva);
        x->gpa = gva & PTE_FRAME;
        x->writable = 1;
        return 0;
    }
    pde = guest_phys_word(g, g->gpd + PDX(gva) * 4);
    if (!(pde & PTE_P))
        return 1;
    pte = guest_phys_word(g, (pde & PTE_FRAME) + PTX(gva) * 4);
    if (!(pte & PTE_P))
        return 1;
    if ((pte & PTE_FRAME) >= GUEST_MEM)
        guest_crash("frame 0x%08x for 0x%08x is beyond guest memory", pte & PTE_FRAME, gva);
    both = pde & pte;
    x->gpa = pte & PTE_FRAME;
    x->writable = user ? (both & PTE_W) && (both & PTE_U) : (both & PTE_W) || !g->wp;
    x->pf_error |= PF_PRESENT;
    if ((user && !(both & PTE_U)) || (write && !x->writable))
        return 1;
    return 0;
}

/* The frame behind gva in the guest-kernel view's shadow entries, if one is there (and
 * writable, for a write): what the guest's tables gave at the last fill, still in force. */
static u32 guest_shadow_frame(struct guest *g, u32 gva, int write)
{
    u32 lin = GUEST_BASE + gva, pde = g->view[GUEST_KERNEL][PDX(lin)], pte;
    if (!(pde & PTE_P))
        return 0;
    pte = ((u32 *)(pde & PTE_FRAME))[PTX(lin)];
    return (pte & PTE_P) && (!write || (pte & PTE_W)) ? pte & PTE_FRAME : 0;
}

/*
 * Copies between kernel memory and guest-virtual [gva, gva+len), with guest-kernel rights:
 * through the shadow entries when they are filled, else by walking the guest's tables.
 * Returns 0, or -1 if some page may not be accessed so (the caller crashes the guest).
 */
static int guest_copy(struct guest *g, u32 gva, void *buf, u32 len, int write)
{
    while (len) {
        struct guest_xlate x;
        u32 off = gva & (PAGE_SIZE - 1), n = min_u32(len, PAGE_SIZE - off), pa;
        u8 *w;
        if (gva > GUEST_VA_MAX || GUEST_VA_MAX - gva < n - 1)
            return -1;
        if (!(pa = guest_shadow_frame(g, gva, write))) {
            if (guest_translate(g, gva, write, 0, &x))
                return -1;
            pa = guest_frame_or_crash(g, x.gpa);
        }
        w = window_map(pa);
        if (write)
            memcpy(w + off, buf, n);
        else
            memcpy(buf, w + off, n);
        window_unmap(w);
        buf = (u8 *)buf + n;
        gva += n;
        len -= n;
    }
    return 0;
}

/* --- shadow page tables --- */

/* Frees every shadow page table of both views and flushes the TLB. */
static void guest_shadow_drop(struct guest *g)
{
    for (int v = 0; v < 2; v++)
        for (u32 i = PDX(GUEST_BASE); i < 1024; i++)
            if (g->view[v][i] & PTE_P) {
                kframe_free(g->view[v][i] & PTE_FRAME, 1);
                g->view[v][i] = 0;
            }
    g->shadow_tables = 0;
    if (mmu_pd == (u32)g->view[g->mode])
        mmu_load((u32)g->view[g->mode]);
}

/* Maps guest-virtual gva to host frame pa in the current view. */
static void guest_shadow_map(struct guest *g, u32 gva, u32 pa, int writable)
{
    u32 *pd = g->view[g->mode], lin = GUEST_BASE + gva, pt;
    if (!(pd[PDX(lin)] & PTE_P)) {
        if (g->shadow_tables >= GUEST_SHADOW_MAX)
            guest_shadow_drop(g);
        if (!(pt = kframe_alloc(1))) {
            guest_shadow_drop(g);       /* ours are the first to go */
            if (!(pt = kframe_alloc(1)))
                guest_crash("no kernel memory for a shadow page table");
        }
        pd[PDX(lin)] = pt | PTE_P | PTE_W | PTE_U;
        g->shadow_tables++;
    }
    ((u32 *)(pd[PDX(lin)] & PTE_FRAME))[PTX(lin)] = pa | PTE_P | PTE_U | (writable ? PTE_W : 0);
    mmu_flush_page(lin);
}

/* Forgets the shadow entries of the page at gva, in both views. */
static void guest_shadow_forget(struct guest *g, u32 gva)
{
    u32 lin = GUEST_BASE + (gva & PTE_FRAME);
    for (int v = 0; v < 2; v++)
        if (g->view[v][PDX(lin)] & PTE_P)
            ((u32 *)(g->view[v][PDX(lin)] & PTE_FRAME))[PTX(lin)] = 0;
    mmu_flush_page(lin);
}

/* Switches the guest to mode m, and the task to that mode's view. */
static void guest_set_mode(struct guest *g, int m)
{
    g->mode = m;
    current->task->pd = g->view[m];
    vm_activate(g->view[m]);
}

/* --- delivery --- */

static void guest_deliver(struct guest *g, struct trapframe *tf, u32 slot, u32 error, u32 cr2);

/*
 * INT n from the guest: to slot n if it may call it, else a #GP as the hardware gives. The
 * host saw it either through a gate open to CPL 3 (eip is past the 2-byte INT) or as a #GP
 * from a closed gate (eip is at it): the guest sees the INT's handler entered with eip past
 * it, and a #GP, a fault, with eip at it, whichever way the host saw it.
 */
static void guest_int(struct guest *g, struct trapframe *tf, u32 n, int eip_at_int)
{
    if (g->idt[n].eip && (g->mode == GUEST_KERNEL || !g->idt[n].privileged)) {
        tf->eip += eip_at_int ? 2 : 0;
        guest_deliver(g, tf, n, 0, 0);
    } else {
        tf->eip -= eip_at_int ? 0 : 2;
        guest_deliver(g, tf, 13, n * 8 + 2, 0);
    }
}

/*
 * Enters handler `slot` as the contract says: the frame goes on the current stack in guest-
 * kernel mode, or on the stack at esp0 in guest-user mode; virtual IF is cleared.
 */
static void guest_deliver(struct guest *g, struct trapframe *tf, u32 slot, u32 error, u32 cr2)
{
    u32 frame[6], n = g->mode == GUEST_KERNEL ? 5 : 6, sp;
    if (!g->idt[slot].eip)
        guest_crash("%s (slot 0x%x) with no handler, at eip 0x%08x", slot < 32 ?
                    exception_names[slot] : slot == 0x20 ? "timer" : slot == 0x21 ?
                    "key event" : "INT", slot, tf->eip);
    frame[0] = cr2;
    frame[1] = error;
    frame[2] = tf->eip;
    frame[3] = g->mode == GUEST_KERNEL ? GUEST_FRAME_KERNEL : GUEST_FRAME_USER;
    frame[4] = (tf->eflags & ~EFLAGS_IF) | (g->vif ? EFLAGS_IF : 0);
    frame[5] = tf->esp;
    sp = (g->mode == GUEST_KERNEL ? tf->esp : g->esp0) - n * 4;
    if (guest_copy(g, sp, frame, n * 4, 1) < 0)
        guest_crash("cannot write the frame for slot 0x%x at 0x%08x", slot, sp);
    guest_set_mode(g, GUEST_KERNEL);
    g->vif = 0;
    tf->eip = g->idt[slot].eip;
    tf->esp = sp;
    tf->cs = GDT_GUEST_CS;
    tf->ss = GDT_GUEST_DS;
    tf->eflags = EFLAGS_IF | EFLAGS_RESERVED;   /* the real IF stays on: the host needs it */
}

/* A page fault in the guest region: a shadow entry to fill, or a fault for the guest. Below
 * the region is host memory: guest-virtual addresses past 0xFEFFFFFF wrap there. A program
 * of the guest that went there gets a page fault its kernel can deal with; the guest's kernel
 * itself is crashed (doc/syscalls.md 16). */
static void guest_page_fault(struct guest *g, struct trapframe *tf)
{
    struct guest_xlate x;
    u32 gva = tf->cr2 - GUEST_BASE;
    int write = (tf->error_code & PF_WRITE) != 0;
    if (tf->cr2 < GUEST_BASE && g->mode == GUEST_KERNEL)
        guest_crash("touched host memory at 0x%08x (eip 0x%08x)", tf->cr2, tf->eip);
    if (tf->cr2 < GUEST_BASE)
        guest_deliver(g, tf, 14, PF_USER | (write ? PF_WRITE : 0), gva);
    else if (guest_translate(g, gva, write, g->mode == GUEST_USER, &x))
        guest_deliver(g, tf, 14, x.pf_error, gva);
    else
        guest_shadow_map(g, gva & PTE_FRAME, guest_frame_or_crash(g, x.gpa), x.writable);
}

/* Virtual interrupts that wait for the guest: the timer is due every 10 ms of emulated time
 * (merged if the guest was slow to take it), key events are queued by the keyboard. */
static int guest_pending(struct guest *g, u32 *slot, u32 *event)
{
    u32 was_on;
    int any = 0;
    if ((i32)(ticks - g->vtick_due) >= 0) {
        g->timer_pending = 1;
        g->vtick_due = ticks + max_u32(timer_hz / GUEST_TIMER_HZ, 1);
    }
    if (!g->vif)
        return 0;
    if (g->timer_pending) {
        g->timer_pending = 0;
        *slot = 0x20;
        *event = 0;
        return 1;
    }
    was_on = irq_save();                /* the keyboard interrupt adds to the queue */
    if (g->key_head != g->key_tail) {
        *event = g->keys[g->key_head++ % GUEST_KEYS];
        *slot = 0x21;
        any = 1;
    }
    irq_restore(was_on);
    return any;
}

/* On every return to the guest: deliver one pending virtual interrupt if IF allows it. Out of
 * line, like guest_trap: every trap passes their callers, and programs should not pay. */
static void __attribute__((noinline)) guest_events(struct trapframe *tf)
{
    struct guest *g = guest_current();
    u32 slot, event;
    if (guest_pending(g, &slot, &event)) {
        interrupts_on();                /* delivery copies and may block */
        guest_deliver(g, tf, slot, event, 0);
    }
}

/* From the keyboard (or COM1) interrupt: a key event for the guest whose console is in front;
 * it wakes the guest if it idles (hv_idle). */
static void guest_key(struct guest *g, u32 ev)
{
    if (g->key_tail - g->key_head < GUEST_KEYS)
        g->keys[g->key_tail++ % GUEST_KEYS] = ev;
    waitq_wake_one(&g->idle_wait);
}

/* --- hypercalls --- */

/* Reads the hypercall's n arguments from the guest's stack. */
static void guest_args(struct guest *g, struct trapframe *tf, u32 *a, u32 n)
{
    if (guest_copy(g, tf->esp, a, n * 4, 0) < 0)
        guest_crash("hypercall %u: its arguments at 0x%08x cannot be read", tf->eax, tf->esp);
}

/* Copies len bytes of guest text into buf (at most HV_PRINT_MAX). */
static void guest_text(struct guest *g, u32 op, i32 len, u32 buf, char *out)
{
    if (len < 0 || len > HV_PRINT_MAX)
        guest_crash("hypercall %u: length %d", op, len);
    if (guest_copy(g, buf, out, (u32)len, 0) < 0)
        guest_crash("hypercall %u: bad buffer 0x%08x", op, buf);
}

static void guest_check_pos(u32 op, i32 row, i32 col)
{
    if (row < 0 || row >= CONSOLE_ROWS || col < 0 || col >= CONSOLE_COLS)
        guest_crash("hypercall %u: position (%d, %d)", op, row, col);
}

/* hv_iret(eip, eflags, esp, esp0, eax): one step back into the guest, maybe to guest-user. */
static void hv_iret(struct guest *g, struct trapframe *tf)
{
    u32 a[5];
    guest_args(g, tf, a, 5);
    if (a[1] & EFLAGS_GUEST_BAD)
        guest_crash("hv_iret: eflags 0x%08x", a[1]);
    g->vif = (a[1] & EFLAGS_IF) != 0;
    tf->eip = a[0];
    tf->eflags = (a[1] & EFLAGS_USER) | EFLAGS_IF | EFLAGS_RESERVED;
    tf->esp = a[2];
    tf->eax = a[4];
    tf->cs = GDT_GUEST_CS;
    tf->ss = GDT_GUEST_DS;
    if (a[3])
        g->esp0 = a[3];
    guest_set_mode(g, a[3] ? GUEST_USER : GUEST_KERNEL);
}

/* hv_setidt(slot, eip, privileged): only the slots of the contract; others are ignored. */
static void hv_setidt(struct guest *g, struct trapframe *tf)
{
    u32 a[3];
    guest_args(g, tf, a, 3);
    if (a[0] < 0x22 || (a[0] >= 0x41 && a[0] <= 0x74) || (a[0] >= 0x80 && a[0] <= 0x86)) {
        g->idt[a[0]].eip = a[1];
        g->idt[a[0]].privileged = a[2] != 0;
    }
}

/* hv_setpd(pdbase, wp): a new address space: every shadow entry goes. */
static void hv_setpd(struct guest *g, struct trapframe *tf)
{
    u32 a[2];
    guest_args(g, tf, a, 2);
    if (a[0] >= GUEST_MEM || (a[0] & (PAGE_SIZE - 1)))
        guest_crash("hv_setpd: page directory 0x%08x", a[0]);
    g->paging = 1;
    g->gpd = a[0];
    g->wp = a[1] != 0;
    guest_shadow_drop(g);
}

/* The console hypercalls, on the task's console. */
static void hv_console(struct guest *g, struct trapframe *tf, u32 op)
{
    char text[HV_PRINT_MAX];
    struct console *c = current->task->console;
    u32 a[5];
    i32 pos[2];
    guest_args(g, tf, a, op == HV_PRINT_AT ? 5 : op == HV_SET_COLOR ? 1 : 2);
    switch (op) {
    case HV_PRINT:
        guest_text(g, op, (i32)a[0], a[1], text);
        console_write(c, text, a[0]);
        break;
    case HV_SET_COLOR:
        if (a[0] > 0xFF)
            guest_crash("hv_cons_set_term_color: colour 0x%x", a[0]);
        console_set_color(c, (u8)a[0]);
        break;
    case HV_SET_CURSOR:
        guest_check_pos(op, (i32)a[0], (i32)a[1]);
        console_set_cursor(c, (i32)a[0], (i32)a[1]);
        break;
    case HV_GET_CURSOR:
        console_get_cursor(c, pos);
        if (guest_copy(g, a[0], &pos[0], 4, 1) < 0 || guest_copy(g, a[1], &pos[1], 4, 1) < 0)
            guest_crash("hv_cons_get_cursor_pos: bad pointer");
        break;
    case HV_PRINT_AT:
        guest_check_pos(op, (i32)a[2], (i32)a[3]);
        if (a[4] > 0xFF)
            guest_crash("hv_print_at: colour 0x%x", a[4]);
        guest_text(g, op, (i32)a[0], a[1], text);
        console_write_at(c, text, a[0], (i32)a[2], (i32)a[3], (u8)a[4]);
        break;
    }
}

/* --- this kernel's extensions (0x20..0x27): what a Pebbles kernel built as a guest needs --- */

/*
 * hv_disk_read(lba, offset, buf, len): %eax = 0 after copying len (<= HV_DISK_MAX) bytes of
 * the disk, from `offset` bytes into sector lba, to guest memory at buf; E_IO past the end of
 * the disk or when it fails. The guest's own FAT12 code reads its files through it: the whole
 * floppy, read-only (every file on it is readable by every program anyway).
 */
static void hv_disk_read(struct guest *g, struct trapframe *tf)
{
    u32 a[4];
    char chunk[512];
    guest_args(g, tf, a, 4);
    if (a[3] > HV_DISK_MAX)
        guest_crash("hv_disk_read: length %u", a[3]);
    tf->eax = (u32)E_IO;
    if (a[0] >= FD_DISK_BYTES / FD_SECTOR || a[1] > FD_DISK_BYTES)
        return;                         /* (so that lba * 512 + offset cannot wrap) */
    for (u32 done = 0, k; done < a[3]; done += k) {
        k = min_u32(a[3] - done, sizeof chunk);
        if (disk_read(a[0], a[1] + done, chunk, k) < 0)
            return;
        if (guest_copy(g, a[2] + done, chunk, k, 1) < 0)
            guest_crash("hv_disk_read: bad buffer 0x%08x", a[2]);
    }
    tf->eax = 0;
}

/* hv_log(len, buf): len (<= HV_PRINT_MAX) bytes to the debug log only (port 0xE9, COM1), where
 * a guest's console output is mirrored as ours is (section 9). */
static void hv_log(struct guest *g, struct trapframe *tf)
{
    char text[HV_PRINT_MAX];
    u32 a[2];
    guest_args(g, tf, a, 2);
    guest_text(g, HV_LOG, (i32)a[0], a[1], text);
    debug_write(text, a[0]);
}

/* hv_idle(): virtual interrupts on, and the guest sleeps until one is due (its timer's next
 * tick, or a key), where it would spin in its idle loop: the HLT of a guest. */
static void hv_idle(struct guest *g)
{
    g->vif = 1;
    interrupts_off();
    if ((i32)(ticks - g->vtick_due) < 0 && !g->timer_pending && g->key_head == g->key_tail
        && !current->killed)
        thread_block_timeout(&g->idle_wait, g->vtick_due - ticks);
    interrupts_on();
}

/* INT 0xDE from guest-kernel mode: operation %eax, arguments on the guest's stack. */
static void hypercall(struct guest *g, struct trapframe *tf)
{
    u32 a[1], op = tf->eax;
    switch (op) {
    case HV_MAGIC_OP: tf->eax = HV_MAGIC; break;
    case HV_EXIT:
        guest_args(g, tf, a, 1);
        task_set_status(current->task, (i32)a[0]);
        thread_exit();
    case HV_IRET: hv_iret(g, tf); break;
    case HV_SETIDT: hv_setidt(g, tf); break;
    case HV_DISABLE: g->vif = 0; break;
    case HV_ENABLE: g->vif = 1; break;
    case HV_SETPD: hv_setpd(g, tf); break;
    case HV_ADJUSTPG:
        guest_args(g, tf, a, 1);
        if (a[0] > GUEST_VA_MAX)
            guest_crash("hv_adjustpg: address 0x%08x", a[0]);
        guest_shadow_forget(g, a[0]);
        break;
    case HV_DISK_READ: hv_disk_read(g, tf); break;
    case HV_LOG: hv_log(g, tf); break;
    case HV_IDLE: hv_idle(g); break;
    default:
        if (op >= HV_OPS)
            guest_crash("unknown hypercall %u", op);
        hv_console(g, tf, op);
    }
}

/*
 * Every trap from a guest's user-mode code (host CPL 3), and INT 0xDE from anyone: a task that
 * is not a guest gets what a missing gate gives, a #GP.
 */
static void __attribute__((noinline)) guest_trap(struct trapframe *tf)
{
    struct guest *g = current->task ? current->task->guest : NULL;
    if (tf->cause == 14)
        tf->cr2 = read_cr2();
    interrupts_on();                    /* traps from user mode came with interrupts on */
    if (!g) {
        tf->cause = 13;
        tf->error_code = HV_VECTOR * 8 + 2;
        tf->eip -= 2;                   /* a fault: at the INT, as a closed gate gives */
        user_fault(tf);
    } else if (tf->cause == 14) {
        guest_page_fault(g, tf);
    } else if (tf->cause == 13 && (tf->error_code & 2)) {
        guest_int(g, tf, tf->error_code >> 3, 1);   /* INT n met a gate it may not use */
    } else if (tf->cause < 32) {
        guest_deliver(g, tf, tf->cause, tf->error_code, 0);
    } else if (tf->cause == HV_VECTOR && g->mode == GUEST_KERNEL) {
        hypercall(g, tf);
    } else {
        guest_int(g, tf, tf->cause, 0); /* INT n through a gate open to programs */
    }
}

/* --- launch and end --- */

/* Whether an ELF file is a guest: every loadable segment below 16 MiB. */
static int elf_is_guest(const struct elf_phdr *ph, int n)
{
    for (int i = 0; i < n; i++)
        if (ph[i].type == ELF_PT_LOAD && (ph[i].vaddr >= GUEST_LOAD_LIMIT
                                          || ph[i].memsz > GUEST_LOAD_LIMIT - ph[i].vaddr))
            return 0;
    return 1;
}

/* Where file bytes of a guest's segment go: guest-physical memory, page by page. */
struct guest_load_ctx {
    struct guest *g;
    u32 gpa;                            /* guest-physical address of the first file byte */
};

static int sink_to_guest(void *ctx, u32 pos, const void *data, u32 len)
{
    struct guest_load_ctx *l = ctx;
    while (len) {
        u32 gpa = l->gpa + pos, off = gpa & (PAGE_SIZE - 1), n = min_u32(len, PAGE_SIZE - off);
        u32 pa = guest_frame(l->g, gpa & PTE_FRAME);
        u8 *w;
        if (!pa)
            return E_NOMEM;
        w = window_map(pa);
        memcpy(w + off, data, n);
        window_unmap(w);
        data = (const u8 *)data + n;
        pos += n;
        len -= n;
    }
    return 0;
}

/* Frees everything of g but the task's page directory view[0]. */
static void guest_free(struct guest *g)
{
    if (g->view[1]) {
        guest_shadow_drop(g);
        kframe_free((u32)g->view[1], 1);
    }
    for (u32 i = 0; g->frames && i < GUEST_FRAMES; i++)
        if (g->frames[i])
            uframe_unref(g->frames[i]);
    if (g->frames)
        kframe_free((u32)g->frames, GUEST_FRAMES * 4 / PAGE_SIZE);
    kfree(g);
}

/*
 * Builds a guest from the checked ELF file f: its memory with the segments copied in (their
 * pages get frames now, so a short memory fails the exec, not the guest later). pd is the
 * new, empty address space; it becomes the guest-kernel view.
 */
static int guest_load(u32 *pd, const struct fat_entry *f, const struct elf_phdr *ph, int n,
                      struct guest **out)
{
    struct guest *g = kmalloc(sizeof *g);
    int r = 0;
    if (!g)
        return E_NOMEM;
    memset(g, 0, sizeof *g);
    waitq_init(&g->idle_wait);
    g->view[GUEST_KERNEL] = pd;
    g->frames = (u32 *)kframe_alloc(GUEST_FRAMES * 4 / PAGE_SIZE);
    g->view[GUEST_USER] = pd_create();
    if (!g->frames || !g->view[GUEST_USER])
        r = E_NOMEM;
    for (int i = 0; r == 0 && i < n; i++) {
        struct guest_load_ctx l = { g, ph[i].vaddr };
        if (ph[i].type != ELF_PT_LOAD)
            continue;
        for (u32 page = ph[i].vaddr & PTE_FRAME; r == 0 && page < ph[i].vaddr + ph[i].memsz;
             page += PAGE_SIZE)
            if (!guest_frame(g, page))
                r = E_NOMEM;
        if (r == 0 && ph[i].filesz && (r = fat_read(f, ph[i].offset, ph[i].filesz,
                                                    sink_to_guest, &l)) > 0)
            r = 0;                      /* fat_read counts the bytes */
    }
    if (r < 0) {
        guest_free(g);
        return r;
    }
    *out = g;
    return 0;
}

/* Starts guest g in the current task, whose address space is g's guest-kernel view. */
static void guest_start(struct guest *g, u32 entry)
{
    struct trapframe *uf = thread_user_frame(current);
    struct task *task = current->task;
    u32 was_on;
    memset(uf, 0, sizeof *uf);
    uf->cs = GDT_GUEST_CS;
    uf->ds = uf->es = uf->fs = uf->gs = uf->ss = GDT_GUEST_DS;
    uf->eip = entry;
    uf->eflags = EFLAGS_IF | EFLAGS_RESERVED;
    uf->eax = GUEST_BOOT_MAGIC;
    uf->ebx = GUEST_FRAMES - 1;
    uf->ecx = GUEST_VA_MAX;
    g->vtick_due = ticks + max_u32(timer_hz / GUEST_TIMER_HZ, 1);
    task->guest = g;
    was_on = irq_save();
    if (!task->console->guest)
        task->console->guest = g;       /* its keys go to the guest from now on */
    irq_restore(was_on);
}

/* The guest task is ending (task_exit): everything of the guest goes; task->pd is left
 * holding the guest-kernel view, emptied, for task_exit to free. */
static void guest_destroy(struct task *task)
{
    struct guest *g = task->guest;
    u32 was_on = irq_save();
    if (task->console && task->console->guest == g)
        task->console->guest = NULL;
    irq_restore(was_on);
    task->pd = g->view[GUEST_KERNEL];
    guest_free(g);
    task->guest = NULL;
}

/*==== 23. ELF loading and exec ====*/
/*
 * Building a program's address space: validate the ELF file completely, map each loadable
 * segment (file bytes copied in, the rest zero-fill on demand), then the stack region with
 * argv and the _main frame on top (syscalls 12):
 *
 *   USER_STACK_TOP   argument strings
 *                    argv[0..argc-1], NULL
 *                    stack_low, stack_high, argv, argc   (the arguments of _main)
 *   %esp ->          return address 0
 *
 * stack_high is the last byte of the initial stack region, stack_low its first.
 */

#define ELF_MAX_PHDRS   16

struct exec_args {                      /* argv, gathered into kernel memory */
    int argc;
    char *argv[EXEC_MAX_ARGS + 1];
    char strings[EXEC_MAX_ARGBYTES];
    u32 used;                           /* bytes of strings in use */
};

/* Checks the ELF header of a file of `size` bytes. */
static int elf_check_header(const struct elf_header *h, u32 size)
{
    if (size < sizeof *h || h->magic != ELF_MAGIC || h->class != ELF_CLASS32
        || h->data != ELF_DATA_LSB || h->type != ELF_TYPE_EXEC || h->machine != ELF_MACHINE_386
        || h->phentsize != sizeof(struct elf_phdr) || h->phnum == 0 || h->phnum > ELF_MAX_PHDRS
        || h->phoff > size || size - h->phoff < (u32)h->phnum * sizeof(struct elf_phdr))
        return E_NOEXEC;
    return 0;
}

/* Where a program (or a guest: section 22) may be loaded: [low, high). */
static u32 elf_low(int guest) { return guest ? 0 : USER_MEM_START; }
static u32 elf_high(int guest) { return guest ? GUEST_LOAD_LIMIT : USER_STACK_BOTTOM; }

/* Checks one program header: loadable segments must lie where the program may be loaded
 * (user memory below the stack; for a guest, below 16 MiB). */
static int elf_check_phdr(const struct elf_phdr *p, u32 size, int guest)
{
    if (p->type != ELF_PT_LOAD)
        return 0;
    if (p->memsz < p->filesz || p->vaddr < elf_low(guest) || p->vaddr + p->memsz < p->vaddr
        || p->vaddr + p->memsz > elf_high(guest) || p->offset > size
        || size - p->offset < p->filesz)
        return E_NOEXEC;
    return 0;
}

/* Where file bytes go while a segment loads: the page of pd currently mapped in a window. */
struct load_ctx {
    u32 *pd;
    u32 va;                             /* user address of the segment's first file byte */
    u32 page;                           /* user page mapped at `window`, or 0 */
    u8 *window;
};

static int sink_to_space(void *ctx, u32 pos, const void *data, u32 len)
{
    struct load_ctx *l = ctx;
    while (len) {
        u32 va = l->va + pos, page = va & PTE_FRAME, n = min_u32(len, PAGE_SIZE - (va - page));
        if (page != l->page) {
            if (l->window)
                window_unmap(l->window);
            l->page = page;
            if (!(l->window = vm_page_for_writing(l->pd, page)))
                return E_NOMEM;
        }
        memcpy(l->window + (va - page), data, n);
        data = (const u8 *)data + n;
        pos += n;
        len -= n;
    }
    return 0;
}

/*
 * Gives every page of [va, va+len) its final protection: a later segment's wins where
 * segments overlap, whatever the pages hold. A zero page made writable again (an earlier
 * read-only segment had given up its frame) takes a reservation anew; E_NOMEM if none is left.
 */
static int vm_protect(u32 *pd, u32 va, u32 len, int writable)
{
    for (u32 page = va & PTE_FRAME; page < va + len; page += PAGE_SIZE) {
        u32 *pte = vm_pte(pd, page, 0);
        if (!pte || !(*pte & PTE_P))
            continue;
        if ((*pte & PTE_FRAME) != zero_frame) {
            *pte = writable ? *pte | PTE_W : *pte & ~PTE_W;
        } else if (!writable && (*pte & PTE_ZFOD)) {
            *pte &= ~PTE_ZFOD;          /* a read-only zero page needs no frame, ever */
            frames_unreserve(1);
        } else if (writable && !(*pte & PTE_ZFOD)) {
            if (frames_reserve(1) < 0)
                return E_NOMEM;
            *pte |= PTE_ZFOD;           /* zero-fill again: its first write gets a frame */
        }
        if (!page)
            break;
    }
    return 0;
}

/* Maps one loadable segment into pd: file bytes copied, the rest zero-fill. */
static int elf_load_segment(u32 *pd, const struct fat_entry *f, const struct elf_phdr *p)
{
    struct load_ctx l = { pd, p->vaddr, 0, NULL };
    int r = 0;
    if (p->filesz)
        r = fat_read(f, p->offset, p->filesz, sink_to_space, &l);
    if (l.window)
        window_unmap(l.window);
    if (r < 0)
        return r;
    for (u32 page = p->vaddr & PTE_FRAME; page < p->vaddr + p->memsz; page += PAGE_SIZE) {
        u32 *pte = vm_pte(pd, page, 1);
        if (!pte)
            return E_NOMEM;
        if (*pte & PTE_P)
            continue;
        if (frames_reserve(1) < 0)
            return E_NOMEM;
        if (vm_map_zero(pd, page) < 0) {
            frames_unreserve(1);
            return E_NOMEM;
        }
    }
    return vm_protect(pd, p->vaddr, p->memsz, (p->flags & ELF_PF_W) != 0);
}

/* Copies len bytes of kernel memory to user address va of pd (not the current space). */
static int vm_write(u32 *pd, u32 va, const void *src, u32 len)
{
    struct load_ctx l = { pd, va, 0, NULL };
    int r = sink_to_space(&l, 0, src, len);
    if (l.window)
        window_unmap(l.window);
    return r;
}

/* Maps the stack region and writes argv and _main's frame. Returns the initial %esp. */
static int exec_build_stack(u32 *pd, const struct exec_args *a, u32 *esp)
{
    u32 frame[5 + EXEC_MAX_ARGS + 1];   /* ret, argc, argv, stack_high, stack_low, argv[] */
    u32 strings_at = USER_STACK_TOP - round_up(a->used, 4);
    u32 argv_at = strings_at - (u32)(a->argc + 1) * 4;
    u32 sp = argv_at - 5 * 4;
    if (frames_reserve(USER_STACK_SIZE / PAGE_SIZE) < 0)
        return E_NOMEM;
    for (u32 va = USER_STACK_BOTTOM; va < USER_STACK_TOP; va += PAGE_SIZE)
        if (vm_map_zero(pd, va) < 0) {
            frames_unreserve((USER_STACK_TOP - va) / PAGE_SIZE);
            return E_NOMEM;
        }
    frame[0] = 0;
    frame[1] = (u32)a->argc;
    frame[2] = argv_at;
    frame[3] = USER_STACK_TOP - 1;
    frame[4] = USER_STACK_BOTTOM;
    for (int i = 0; i < a->argc; i++)
        frame[5 + i] = strings_at + (u32)(a->argv[i] - a->strings);
    frame[5 + a->argc] = 0;
    if (vm_write(pd, strings_at, a->strings, a->used) < 0
        || vm_write(pd, sp, frame, (u32)(6 + a->argc) * 4) < 0)
        return E_NOMEM;
    *esp = sp;
    return 0;
}

/*
 * Loads program `path` with arguments a into the empty address space pd. Returns 0 and the
 * entry point and stack pointer, or an error (pd then holds a partial image to destroy).
 * A file whose segments all lie below 16 MiB is a guest kernel: with `guest` non-NULL, it is
 * loaded into a new struct guest (section 22) returned there, and *esp means nothing.
 */
static int exec_load(u32 *pd, const char *path, const struct exec_args *a, u32 *entry,
                     u32 *esp, struct guest **guest)
{
    struct fat_entry *f = kmalloc(sizeof *f);
    struct elf_header h;
    struct elf_phdr ph[ELF_MAX_PHDRS];
    int r, loadable = 0, is_guest = 0;
    if (!f)
        return E_NOMEM;
    r = fat_lookup(path, f);
    if (r == 0 && f->is_dir)
        r = E_NOENT;
    if (r == 0 && (r = fat_read_kernel(f, &h, sizeof h, 0)) >= 0)
        r = r == (int)sizeof h ? 0 : E_NOEXEC;
    if (r == 0)
        r = elf_check_header(&h, f->size);
    if (r == 0 && fat_read_kernel(f, ph, h.phnum * sizeof ph[0], h.phoff) < 0)
        r = E_IO;
    if (r == 0)
        is_guest = guest && elf_is_guest(ph, h.phnum);
    if (r == 0 && is_guest && PLATFORM_GUEST) {     /* no hypervisor here: section 6 */
        printf("exec: %s is a guest kernel; this kernel is itself a guest and cannot run "
               "guests\n", path);
        r = E_NOEXEC;
    }
    if (r == 0 && (h.entry < elf_low(is_guest) || h.entry >= elf_high(is_guest)))
        r = E_NOEXEC;
    for (int i = 0; r == 0 && i < h.phnum; i++) {
        r = elf_check_phdr(&ph[i], f->size, is_guest);
        loadable += ph[i].type == ELF_PT_LOAD;
    }
    if (r == 0 && !loadable)
        r = E_NOEXEC;
    if (r == 0 && is_guest)
        r = guest_load(pd, f, ph, h.phnum, guest);
    for (int i = 0; r == 0 && !is_guest && i < h.phnum; i++)
        if (ph[i].type == ELF_PT_LOAD)
            r = elf_load_segment(pd, f, &ph[i]);
    if (r == 0 && !is_guest)
        r = exec_build_stack(pd, a, esp);
    *entry = h.entry;
    kfree(f);
    return r;
}

/* Adds one argument string to a. */
static int exec_args_add(struct exec_args *a, const char *s, u32 len)
{
    if (a->argc == EXEC_MAX_ARGS || a->used + len + 1 > EXEC_MAX_ARGBYTES)
        return E_2BIG;
    a->argv[a->argc++] = a->strings + a->used;
    memcpy(a->strings + a->used, s, len);
    a->strings[a->used + len] = 0;
    a->used += len + 1;
    return 0;
}

/* Sets t's user registers to start a program at entry with stack esp. */
static void thread_set_user_entry(struct thread *t, u32 entry, u32 esp)
{
    struct trapframe *uf = thread_user_frame(t);
    memset(uf, 0, sizeof *uf);
    uf->ds = uf->es = uf->fs = uf->gs = uf->ss = USER_DS;
    uf->cs = USER_CS;
    uf->eip = entry;
    uf->esp = esp;
    uf->eflags = EFLAGS_IF | EFLAGS_RESERVED;
}

/* The last path component: a task's name. */
static const char *path_basename(const char *path)
{
    const char *base = path;
    for (; *path; path++)
        if (*path == '/')
            base = path + 1;
    return base;
}

/* Creates the first user task, init, with arguments a. */
static int task_start_init(const struct exec_args *a)
{
    struct task *task = task_new("init");
    struct thread *t;
    u32 entry = 0, esp = 0, was_on;
    int r;
    if (!task)
        return E_NOMEM;
    if ((r = exec_load(task->pd, "init", a, &entry, &esp, NULL)) < 0
        || !(t = thread_new(task))) {
        pd_destroy(task->pd);
        kfree(task);
        return r < 0 ? r : E_NOMEM;
    }
    task->tid = t->tid;
    task->console = console_hold();     /* console 1: the boot thread is a kernel thread */
    init_task = task;
    thread_set_user_entry(t, entry, esp);
    thread_start_user(t);
    was_on = irq_save();
    runq_push(t);
    irq_restore(was_on);
    return 0;
}

/* Gathers exec's arguments from user memory: the file name and the NULL-terminated argv. */
static int exec_args_from_user(u32 uname, u32 uargv, char *path, struct exec_args *a)
{
    int r = copy_string_from_user(path, uname, EXEC_MAX_NAME);
    a->argc = 0;
    a->used = 0;
    if (r < 0)
        return r == E_INVAL ? E_NOENT : r;
    for (u32 i = 0;; i++) {
        u32 ustr;
        int len;
        if (copy_from_user(&ustr, uargv + i * 4, 4) < 0)
            return E_FAULT;
        if (!ustr)
            return 0;
        if (i == EXEC_MAX_ARGS)
            return E_2BIG;
        len = copy_string_from_user(a->strings + a->used, ustr, EXEC_MAX_ARGBYTES - a->used);
        if (len < 0)
            return len == E_INVAL ? E_2BIG : len;
        a->argv[a->argc++] = a->strings + a->used;
        a->used += (u32)len + 1;
    }
}

/*
 * exec(name, argv): everything is checked and the new image built beside the old one; only
 * then is the old one released, so a failed exec returns to a caller that is still intact.
 */
static int task_exec(struct trapframe *tf, u32 uname, u32 uargv)
{
    struct task *task = current->task;
    struct exec_args *a = kmalloc(sizeof *a);
    char *path = kmalloc(EXEC_MAX_NAME);
    u32 *pd = NULL, *old, entry, esp;
    struct guest *guest = NULL;
    int r = a && path ? 0 : E_NOMEM;
    if (r == 0 && task->thread_count != 1)
        r = E_BUSY;
    if (r == 0)
        r = exec_args_from_user(uname, uargv, path, a);
    if (r == 0 && !(pd = pd_create()))
        r = E_NOMEM;
    if (r == 0 && (r = exec_load(pd, path, a, &entry, &esp, &guest)) < 0)
        pd_destroy(pd);
    if (r == 0) {
        rwlock_write_lock(&task->vm_lock);
        old = task->pd;
        task->pd = pd;
        regions_free(task);
        vm_activate(pd);
        rwlock_write_unlock(&task->vm_lock);
        pd_destroy(old);
        strlcpy(task->name, path_basename(path), sizeof task->name);
        if (guest)
            guest_start(guest, entry);
        else
            thread_set_user_entry(current, entry, esp);
        __asm__ volatile("fninit");     /* the new program starts with a fresh FPU */
        current->swexn_eip = current->swexn_esp3 = 0;   /* and with no swexn handler */
        (void)tf;                       /* tf is that frame: it now starts the new program */
    }
    kfree(a);
    kfree(path);
    return r;
}

/*
 * Reads one word of a bootargs line from *pp (not past eol) into word, as a shell would:
 * unquoted spaces end it; 'single quotes' keep everything; "double quotes" keep everything but
 * \" and \\; a backslash outside quotes keeps the next character. So `probe a "b c"` is three
 * words, the last one "b c". Returns the word's length (at most EXEC_MAX_ARGBYTES).
 */
static u32 bootargs_word(const char **pp, const char *eol, char *word)
{
    const char *p = *pp;
    char quote = 0;
    u32 n = 0;
    for (; p < eol && (quote || !is_space(*p)) && n < EXEC_MAX_ARGBYTES; p++) {
        if (!quote && (*p == '\'' || *p == '"'))
            quote = *p;
        else if (quote && *p == quote)
            quote = 0;
        else if (*p == '\\' && quote != '\'' && p + 1 < eol
                 && (!quote || p[1] == '"' || p[1] == '\\'))
            word[n++] = *++p;
        else
            word[n++] = *p;
    }
    *pp = p;
    return n;
}

/* Splits the first meaningful line of the bootargs file into a (quotes as bootargs_word). */
static int bootargs_parse(const char *text, struct exec_args *a)
{
    static char word[EXEC_MAX_ARGBYTES];        /* the boot thread's alone */
    const char *p = text;
    while (*p) {
        const char *eol = p;
        while (*eol && *eol != '\n')
            eol++;
        while (p < eol && is_space(*p))
            p++;
        if (p < eol && *p != '#') {
            while (p < eol) {
                if (exec_args_add(a, word, bootargs_word(&p, eol, word)) < 0)
                    return E_2BIG;
                while (p < eol && is_space(*p))
                    p++;
            }
            return 0;
        }
        p = *eol ? eol + 1 : eol;
    }
    return 0;                           /* no program line: init's default */
}

#ifdef SELFTEST
static void selftests_run(void);
#endif

/* The boot's length so far, in cycles of rdtsc from the boot sector's start (boot.asm notes
 * it), and `ms`, the same in emulated milliseconds: measured against the timer's ticks since
 * its rate was last set, since whatever rate an emulator runs the time-stamp counter at, the
 * timer keeps emulated time. (Under Bochs, and `./build.sh bench`, a cycle is an instruction,
 * 5,000 of them a millisecond.) Writes "under N ms" into ms before two such ticks. */
static u32 boot_cycles(char *ms, size_t size)
{
    u32 cycles = (u32)rdtsc() - boot_tsc;
    u32 per_ms = 0;
    if (rate_ticks >= 2)
        per_ms = (last_tick_tsc - first_tick_tsc) / (rate_ticks - 1) * timer_hz / 1000;
    if (per_ms)
        snprintf(ms, size, "%u ms", cycles / per_ms);
    else
        snprintf(ms, size, "under %u ms", 2 * 1000 / timer_hz);
    return cycles;
}

/* The line that reports the boot's length so far, up to `until`. */
static void boot_line(char *line, size_t size, const char *until)
{
    char ms[24];
    u32 cycles = boot_cycles(ms, sizeof ms);
    snprintf(line, size, "kernel: boot took %u cycles (%s), from the boot sector to %s\n",
             cycles, ms, until);
}

/* The boot's length to init, to the debug log (not the screen). */
static void boot_time_report(void)
{
    char line[128];
    boot_line(line, sizeof line, "init");
    if (!PLATFORM_GUEST)
        debug_write(line, strlen(line));
}

/* The first read of the keyboard (readline or getchar) is the shell's first prompt: what a
 * person waits for. Noted now, logged at the halt (boot_prompt_log), so that the line does not
 * land in the middle of what the tests type at that prompt. */
static char boot_prompt_line[128];

static void boot_prompt_note(void)
{
    if (!boot_prompt_line[0] && !PLATFORM_GUEST)
        boot_line(boot_prompt_line, sizeof boot_prompt_line, "the first prompt");
}

static void boot_prompt_log(void)
{
    if (boot_prompt_line[0])
        debug_write(boot_prompt_line, strlen(boot_prompt_line));
}

/* Starts init with the words of the bootargs file as its arguments: init runs that program
 * (once) instead of its default, the shell. */
static void start_first_program(void)
{
    static struct exec_args args;
    static char text[512];
    struct fat_entry f;
    int r = 0;
    memset(text, 0, sizeof text);
    args.argc = 0;
    args.used = 0;
    exec_args_add(&args, "init", 4);
    if (fat_lookup(BOOTARGS_FILE, &f) == 0)
        r = fat_read_kernel(&f, text, sizeof text - 1, 0);
    if (r < 0 || bootargs_parse(text, &args) < 0) {
        printf("kernel: cannot read the bootargs file\n");
        kernel_halt(E_IO);
    }
    if ((r = task_start_init(&args)) < 0) {
        printf("kernel: cannot start init: error %d\n", r);
        kernel_halt(r);
    }
    boot_time_report();
}

/*
 * The first kernel thread: brings up what blocks (the disk), starts init, then stays on as the
 * reaper (rather than exiting, which would free memory while init counts its free frames).
 */
static void boot_thread_main(void *unused)
{
    disk_init();
    if (fat_mount() < 0)
        panic("cannot read the FAT12 file system on the boot floppy");
#ifdef SELFTEST
    selftests_run();
#endif
    start_first_program();
    current->kname = "reaper";
    reaper_main(unused);
}

/*==== 24. swexn ====*/
/*
 * User-level exception handlers (syscalls 9). A thread may register one handler: a stack (esp3),
 * an entry point and an argument. At its next user-mode fault the kernel removes the handler,
 * builds a frame on that stack -- a ureg_t copy of the faulting registers, a pointer to it, the
 * argument, a return address of 0 -- and resumes the thread in the handler, as if it had been
 * called. The handler typically repairs the cause and resumes with swexn(..., ureg), which
 * installs registers only after checking that they are safe for user mode.
 */

/* The faults a handler may see; the others (NMI, double fault, ...) cannot come from user code
 * or are the machine's business. */
static int swexn_deliverable(u32 cause)
{
    return cause < 32 && ((1u << cause) & (1u << 0 | 1u << 1 | 1u << 3 | 1u << 4 | 1u << 5
                                           | 1u << 6 | 1u << 7 | 1u << 11 | 1u << 12
                                           | 1u << 13 | 1u << 14 | 1u << 16 | 1u << 17
                                           | 1u << 19)) != 0;
}

/* Registers a user may install: user code and stack segments, the user data segment (or the
 * null selector) elsewhere, and eflags as the kernel starts user code but for the flags a
 * program may change itself (EFLAGS_USER). */
static int ureg_safe(const struct trapframe *u)
{
    const u32 data[4] = { u->ds, u->es, u->fs, u->gs };
    for (int i = 0; i < 4; i++)
        if (data[i] != USER_DS && data[i] != 0)
            return 0;
    return u->cs == USER_CS && u->ss == USER_DS
        && (u->eflags & ~EFLAGS_USER) == (EFLAGS_IF | EFLAGS_RESERVED);
}

/* Copies the user-visible registers of u into the trap frame tf (then resumed by iret). */
static void ureg_adopt(struct trapframe *tf, const struct trapframe *u)
{
    tf->ds = u->ds, tf->es = u->es, tf->fs = u->fs, tf->gs = u->gs;
    tf->edi = u->edi, tf->esi = u->esi, tf->ebp = u->ebp, tf->ebx = u->ebx;
    tf->edx = u->edx, tf->ecx = u->ecx, tf->eax = u->eax;
    tf->eip = u->eip, tf->cs = u->cs, tf->eflags = u->eflags, tf->esp = u->esp, tf->ss = u->ss;
}

/*
 * swexn(esp3, eip, arg, newureg): registers (both esp3 and eip non-zero) or removes the handler,
 * and with newureg resumes with those registers. Everything is checked before anything changes.
 */
static int task_swexn(struct trapframe *tf, u32 esp3, u32 eip, u32 arg, u32 newureg)
{
    struct trapframe u;
    int registering = esp3 && eip;
    if (registering && (esp3 < USER_MEM_START || eip < USER_MEM_START))
        return E_INVAL;
    if (newureg && copy_from_user(&u, newureg, sizeof u) < 0)
        return E_FAULT;
    if (newureg && !ureg_safe(&u))
        return E_INVAL;
    current->swexn_esp3 = registering ? esp3 : 0;
    current->swexn_eip = registering ? eip : 0;
    current->swexn_arg = registering ? arg : 0;
    if (!newureg)
        return 0;
    ureg_adopt(tf, &u);
    return (int)u.eax;                  /* the dispatcher stores this into %eax */
}

/*
 * Hands a user fault to the thread's handler, if it has one and may see this fault. Returns 0 if
 * the thread will resume in its handler, -1 if it must be killed (no handler, or its exception
 * stack is not writable).
 */
static int swexn_deliver(struct trapframe *tf)
{
    struct thread *t = current;
    struct trapframe u = *tf;
    u32 handler = t->swexn_eip, esp3 = t->swexn_esp3, sp = esp3 & ~3u, ureg_at, frame[3];
    if (!handler || !swexn_deliverable(tf->cause))
        return -1;
    t->swexn_eip = t->swexn_esp3 = 0;   /* removed first: a fault in the handler kills */
    u.zero = 0;
    if (u.cause != 14)
        u.cr2 = 0;
    u.ds &= 0xFFFF, u.es &= 0xFFFF, u.fs &= 0xFFFF, u.gs &= 0xFFFF;    /* pushed as 32 bits */
    u.cs &= 0xFFFF, u.ss &= 0xFFFF;
    u.eflags &= ~EFLAGS_RF;             /* the CPU's resume flag: not the user's to pass back */
    ureg_at = sp - sizeof u;
    frame[0] = 0;                       /* the handler's return address */
    frame[1] = t->swexn_arg;
    frame[2] = ureg_at;
    sp = ureg_at - sizeof frame;
    if (sp < USER_MEM_START || sp > esp3 || copy_to_user(ureg_at, &u, sizeof u) < 0
        || copy_to_user(sp, frame, sizeof frame) < 0)
        return -1;
    tf->eip = handler;
    tf->esp = sp;
    tf->cs = USER_CS;
    tf->ss = tf->ds = tf->es = tf->fs = tf->gs = USER_DS;
    /* the handler starts as a plain C function: no single-stepping, DF and AC clear */
    tf->eflags = (tf->eflags & ~(EFLAGS_TF | EFLAGS_DF | EFLAGS_AC)) | EFLAGS_IF;
    return 0;
}

/*==== 25. System calls ====*/
/*
 * One INT vector per call (syscalls 1). A call with one argument finds it in %esi; with more,
 * %esi points at an argument packet in user memory, fetched with copy_from_user. The result
 * goes back in %eax; every other user register is preserved by the trap frame.
 */

typedef int (*syscall_fn)(struct trapframe *tf);

/* Fetches an argument packet of n words. */
static int syscall_args(struct trapframe *tf, u32 *args, u32 n)
{
    return copy_from_user(args, tf->esi, n * 4);
}

/* --- console (each call acts on the caller's console) --- */

/* print(len, buf): the whole buffer appears at once, after the checks. */
/*
 * print and log_print: checks (len, buf), then gives the bytes to write() in chunks, all under
 * the console's output lock, so the piece is not cut by another print of that console.
 */
static int print_with(struct trapframe *tf,
                      void (*write)(struct console *c, const char *s, size_t n))
{
    u32 a[2];
    char chunk[256];
    struct console *c;
    int r = syscall_args(tf, a, 2);
    i32 len = (i32)a[0];
    if (r < 0)
        return r;
    if (len < 0 || len > PRINT_MAX)
        return E_INVAL;
    if (len > (i32)sizeof chunk && !user_range_mapped(a[1], (u32)len, 0))
        return E_FAULT;                 /* (a shorter text is checked by its one copy) */
    c = console_hold();
    mutex_lock(&c->out_lock);
    for (u32 done = 0; done < (u32)len && r == 0; done += sizeof chunk) {
        u32 n = min_u32(sizeof chunk, (u32)len - done);
        if ((r = copy_from_user(chunk, a[1] + done, n)) == 0)
            write(c, chunk, n);
    }
    mutex_unlock(&c->out_lock);
    console_release(c);
    return r;
}

static int sys_print(struct trapframe *tf)
{
    return print_with(tf, console_write_locked);
}

/*
 * readline(len, buf), syscalls 7: waits for its turn among the console's readers, edits a line
 * with echo until Enter (or takes what is left of a longer line), then copies up to len bytes.
 * len 0 returns 0 at once. Every check comes before the wait; a copy that fails at the end
 * (pages removed meanwhile) leaves the line for the next reader.
 */
static int sys_readline(struct trapframe *tf)
{
    u32 a[2];
    struct console *c;
    int r = syscall_args(tf, a, 2);
    if (r < 0)
        return r;
    if ((i32)a[0] < 0 || (i32)a[0] > READLINE_MAX)
        return E_INVAL;
    if (!user_range_mapped(a[1], a[0], 1))
        return E_FAULT;
    if (a[0] == 0)
        return 0;
    boot_prompt_note();
    c = console_hold();
    if ((r = mutex_lock_killable(&c->read_lock)) == 0) {
        if ((r = line_edit(c)) == 0)
            r = line_deliver(c, a[1], a[0]);
        mutex_unlock(&c->read_lock);
    }
    console_release(c);
    return r;
}

/* getchar(): the next typed character, not echoed, in turn with readline's readers. */
static int sys_getchar(struct trapframe *tf)
{
    struct console *c;
    int r;
    (void)tf;
    boot_prompt_note();
    c = console_hold();
    if ((r = mutex_lock_killable(&c->read_lock)) == 0) {
        r = console_getchar(c);
        mutex_unlock(&c->read_lock);
    }
    console_release(c);
    return r;
}

/* set_term_color(color): the colour byte of later output. */
static int sys_set_term_color(struct trapframe *tf)
{
    struct console *c;
    if (tf->esi > 0xFF)
        return E_INVAL;
    c = console_hold();
    console_set_color(c, (u8)tf->esi);
    console_release(c);
    return 0;
}

/* set_cursor_pos(row, col): where the next character goes. */
static int sys_set_cursor_pos(struct trapframe *tf)
{
    i32 a[2];
    struct console *c;
    int r = syscall_args(tf, (u32 *)a, 2);
    if (r < 0)
        return r;
    if (a[0] < 0 || a[0] >= CONSOLE_ROWS || a[1] < 0 || a[1] >= CONSOLE_COLS)
        return E_INVAL;
    c = console_hold();
    console_set_cursor(c, a[0], a[1]);
    console_release(c);
    return 0;
}

/* get_cursor_pos(&row, &col): both pointers are checked before either is written. */
static int sys_get_cursor_pos(struct trapframe *tf)
{
    u32 a[2];
    i32 pos[2];
    struct console *c;
    int r = syscall_args(tf, a, 2);
    if (r < 0)
        return r;
    if (!user_range_mapped(a[0], 4, 1) || !user_range_mapped(a[1], 4, 1))
        return E_FAULT;
    c = console_hold();
    console_get_cursor(c, pos);
    console_release(c);
    if (copy_to_user(a[0], &pos[0], 4) < 0 || copy_to_user(a[1], &pos[1], 4) < 0)
        return E_FAULT;
    return 0;
}

/* new_console(): the calling task (all its threads) moves to a new console in front. */
static int sys_new_console(struct trapframe *tf)
{
    struct task *task = current->task;
    struct console *c = console_new(), *old;
    u32 was_on;
    (void)tf;
    if (!c)
        return E_NOMEM;
    was_on = irq_save();
    old = task->console;
    task->console = c;
    irq_restore(was_on);
    console_release(old);
    return 0;
}

/* --- tasks and threads --- */

static int sys_fork(struct trapframe *tf)
{
    return task_fork(tf);
}

/* A successful exec "returns" the new image's first %eax: 0 for a program, the boot magic
 * for a guest (section 22). */
static int sys_exec(struct trapframe *tf)
{
    u32 a[2];
    int r = syscall_args(tf, a, 2);
    if (r == 0)
        r = task_exec(tf, a[0], a[1]);
    return r < 0 ? r : (int)tf->eax;
}

static int sys_wait(struct trapframe *tf)
{
    return task_wait(tf->esi);
}

static int sys_gettid(struct trapframe *tf)
{
    (void)tf;
    return current->tid;
}

static int sys_set_status(struct trapframe *tf)
{
    task_set_status(current->task, (int)tf->esi);
    return 0;
}

static int sys_vanish(struct trapframe *tf)
{
    (void)tf;
    thread_exit();
}

static int sys_task_vanish(struct trapframe *tf)
{
    task_vanish((int)tf->esi);
}

static int sys_thread_fork(struct trapframe *tf)
{
    return task_thread_fork(tf);
}

/* --- scheduling --- */

/* yield(tid) for tid != -1: t goes to the head of the run queue, and runs now. */
static int __attribute__((noinline)) yield_to(int tid)
{
    u32 was_on = irq_save();
    struct thread *t;
    t = thread_find(tid);
    if (!t || !t->task || (t->state != T_RUNNABLE && t->state != T_RUNNING)) {
        irq_restore(was_on);
        return t && t->task ? E_STATE : E_SRCH;
    }
    if (t != current) {
        list_remove(&t->run_link);      /* out of its place in the queue ... */
        if (current != &idle_thread)
            runq_push(current);
        list_insert_before(runq.next, &t->run_link);    /* ... to the head: it runs next */
        schedule();
    }
    irq_restore(was_on);
    return 0;
}

static int sys_yield(struct trapframe *tf)
{
    int tid = (int)tf->esi;
    if (tid != -1)
        return yield_to(tid);
    thread_yield();
    return 0;
}

/*
 * deschedule and make_runnable serialise on deschedule_lock, and a descheduling thread changes
 * its state before it lets go of the lock: so make_runnable either sees it DESCHEDULED or runs
 * before it looked at *reject. No wakeup is lost.
 */

static int sys_deschedule(struct trapframe *tf)
{
    i32 reject;
    u32 was_on;
    mutex_lock(&deschedule_lock);
    if (copy_from_user(&reject, tf->esi, 4) < 0) {
        mutex_unlock(&deschedule_lock);
        return E_FAULT;
    }
    was_on = irq_save();                /* a kill is checked with interrupts off, or it could */
    if (reject || current->killed) {    /* land between the check and the block, unseen */
        irq_restore(was_on);
        mutex_unlock(&deschedule_lock);
        return 0;
    }
    current->state = T_DESCHEDULED;
    mutex_unlock(&deschedule_lock);     /* interrupts stay off: nothing runs in between */
    schedule();
    irq_restore(was_on);
    return 0;
}

static int sys_make_runnable(struct trapframe *tf)
{
    struct thread *t;
    int r = 0;
    u32 was_on;
    mutex_lock(&deschedule_lock);
    was_on = irq_save();
    t = thread_find((int)tf->esi);
    if (!t || !t->task)
        r = E_SRCH;
    else if (t->state != T_DESCHEDULED)
        r = E_STATE;
    else
        thread_wake(t);
    irq_restore(was_on);
    mutex_unlock(&deschedule_lock);
    return r;
}

static int sys_get_ticks(struct trapframe *tf)
{
    (void)tf;
    return (int)ticks;
}

/*
 * misbehave(mode): scheduling knobs for testing, as bits (README documents them):
 *   1  the timer ticks every 1 ms instead of every 1000/TIMER_HZ ms
 *   2  every system call yields on its way back to user mode
 *   4  every mutex release yields, so waiters run while the releaser is mid-way
 * 0 restores the defaults; other bits are ignored.
 */
static int sys_misbehave(struct trapframe *tf)
{
    u32 mode = tf->esi;
    u32 was_on;
    misbehave_mode = mode & (MISBEHAVE_FAST_TIMER | MISBEHAVE_YIELD_SYSCALL
                             | MISBEHAVE_YIELD_UNLOCK);
    was_on = irq_save();                /* the timer changes exit_work too */
    exit_work = (exit_work & ~(u32)EXIT_YIELD)
                | (mode & MISBEHAVE_YIELD_SYSCALL ? EXIT_YIELD : 0);
    irq_restore(was_on);
    clock_set_rate(mode & MISBEHAVE_FAST_TIMER ? TIMER_HZ_MAX : TIMER_HZ);
    return 0;
}

static int sys_sleep(struct trapframe *tf)
{
    int n = (int)tf->esi;
    u32 was_on;
    if (n < 0)
        return E_INVAL;
    was_on = irq_save();
    if (n > 0 && !current->killed)      /* killed: checked with interrupts off, see deschedule */
        thread_sleep_until(ticks + (u32)n);
    irq_restore(was_on);
    return 0;
}

/* --- memory --- */

static int sys_new_pages(struct trapframe *tf)
{
    u32 a[2];
    int r = syscall_args(tf, a, 2);
    return r < 0 ? r : vm_new_pages(a[0], (i32)a[1]);
}

static int sys_remove_pages(struct trapframe *tf)
{
    return vm_remove_pages(tf->esi);
}

/*
 * Extension 0x80: int free_frames(void): free user frames plus free kernel frames (the empty
 * ones the kernel keeps for reuse count as free), once the reaper has caught up (the test
 * harness compares it before and after each test).
 */
static int sys_free_frames(struct trapframe *tf)
{
    (void)tf;
    while (threads_unreaped)
        thread_yield();
    return (int)(uframes_free + kframes_free + heap.empty_slabs + spare_tables.count);
}

/* The debug log alone, for log_print; the console's lock is held only to keep lines whole. */
static void log_write_locked(struct console *c, const char *s, size_t n)
{
    (void)c;
    debug_write(s, n);
}

/*
 * Extension 0x81: int log_print(int len, char *buf): len bytes to the debug log only (port 0xE9
 * and COM1, not the screen). The library's lprintf uses it.
 */
static int sys_log_print(struct trapframe *tf)
{
    return print_with(tf, log_write_locked);
}

/* --- exceptions --- */

static int sys_swexn(struct trapframe *tf)
{
    u32 a[4];
    int r = syscall_args(tf, a, 4);
    return r < 0 ? r : task_swexn(tf, a[0], a[1], a[2], a[3]);
}

/* --- files and the machine --- */

struct user_sink {
    u32 buf;
};

static int sink_to_user(void *ctx, u32 pos, const void *data, u32 len)
{
    return copy_to_user(((struct user_sink *)ctx)->buf + pos, data, len);
}

/* readfile(name, buf, count, offset), syscalls 8. */
static int sys_readfile(struct trapframe *tf)
{
    u32 a[4];
    char name[EXEC_MAX_NAME];
    struct fat_entry *f;
    struct user_sink sink;
    i32 count, offset;
    int r;
    if ((r = syscall_args(tf, a, 4)) < 0)
        return r;
    count = (i32)a[2];
    offset = (i32)a[3];
    if ((r = copy_string_from_user(name, a[0], sizeof name)) < 0)
        return r == E_INVAL ? E_NOENT : r;
    if (count < 0 || offset < 0)
        return E_INVAL;
    if (!user_range_mapped(a[1], (u32)count, 1))
        return E_FAULT;
    sink.buf = a[1];
    if (!strcmp(name, ".")) {
        u32 len;
        char *list = fat_listing(&len, &r);
        if (!list)
            return r;
        r = (u32)offset > len ? E_INVAL : (int)min_u32((u32)count, len - (u32)offset);
        if (r > 0 && copy_to_user(a[1], list + offset, (u32)r) < 0)
            r = E_FAULT;
        kfree(list);
        return r;
    }
    if (!(f = kmalloc(sizeof *f)))
        return E_NOMEM;
    r = fat_lookup(name, f);
    if (r == 0 && f->is_dir)
        r = E_NOENT;
    if (r == 0 && (u32)offset > f->size)
        r = E_INVAL;
    if (r == 0)
        r = fat_read(f, (u32)offset, min_u32((u32)count, f->size - (u32)offset), sink_to_user,
                     &sink);
    kfree(f);
    return r;
}

static int sys_halt(struct trapframe *tf)
{
    (void)tf;
    kernel_halt(current->task->exit_status);
}

#ifdef SELFTEST
/* Self-test kernel only: a deliberate kernel bug, to check the panic report. */
static volatile u32 selftest_crash_address = 0x40;     /* in page 0, which is never mapped */

static void __attribute__((noinline)) selftest_crash(void)
{
    *(volatile u32 *)selftest_crash_address = 0x0BADF00D;
}

static int sys_selftest_crash(struct trapframe *tf)
{
    (void)tf;
    selftest_crash();
    return 0;
}
#endif

/* The table: vector -> handler. Vectors without an entry have no gate (a user INT faults). */
static const syscall_fn syscall_table[SYSCALL_LAST - SYSCALL_FIRST + 1] = {
    [0x41 - SYSCALL_FIRST] = sys_fork,
    [0x42 - SYSCALL_FIRST] = sys_exec,
    [0x44 - SYSCALL_FIRST] = sys_wait,
    [0x45 - SYSCALL_FIRST] = sys_yield,
    [0x46 - SYSCALL_FIRST] = sys_deschedule,
    [0x47 - SYSCALL_FIRST] = sys_make_runnable,
    [0x48 - SYSCALL_FIRST] = sys_gettid,
    [0x49 - SYSCALL_FIRST] = sys_new_pages,
    [0x4A - SYSCALL_FIRST] = sys_remove_pages,
    [0x4B - SYSCALL_FIRST] = sys_sleep,
    [0x4C - SYSCALL_FIRST] = sys_getchar,
    [0x4D - SYSCALL_FIRST] = sys_readline,
    [0x4E - SYSCALL_FIRST] = sys_print,
    [0x4F - SYSCALL_FIRST] = sys_set_term_color,
    [0x50 - SYSCALL_FIRST] = sys_set_cursor_pos,
    [0x51 - SYSCALL_FIRST] = sys_get_cursor_pos,
    [0x52 - SYSCALL_FIRST] = sys_thread_fork,
    [0x53 - SYSCALL_FIRST] = sys_get_ticks,
    [0x54 - SYSCALL_FIRST] = sys_misbehave,
    [0x55 - SYSCALL_FIRST] = sys_halt,
    [0x57 - SYSCALL_FIRST] = sys_task_vanish,
    [0x58 - SYSCALL_FIRST] = sys_new_console,
    [0x59 - SYSCALL_FIRST] = sys_set_status,
    [0x60 - SYSCALL_FIRST] = sys_vanish,
    [0x62 - SYSCALL_FIRST] = sys_readfile,
    [0x74 - SYSCALL_FIRST] = sys_swexn,
    [0x80 - SYSCALL_FIRST] = sys_free_frames,       /* extension */
    [0x81 - SYSCALL_FIRST] = sys_log_print,         /* extension */
#ifdef SELFTEST
    [0x8F - SYSCALL_FIRST] = sys_selftest_crash,    /* self-test kernel only */
#endif
};

static int syscall_vector_exists(int vector)
{
    return vector >= SYSCALL_FIRST && vector <= SYSCALL_LAST
        && syscall_table[vector - SYSCALL_FIRST] != NULL;
}

static void trap_exit_work(struct trapframe *tf, struct guest *g);

/* Whether the way out of a trap has anything to do (see trap_exit_work). Interrupts off. */
static int trap_exit_due(struct guest *g)
{
    return (exit_work | current->killed | (g != NULL)) != 0;
}

/*
 * Called by entry.asm's trap_common for the system-call vectors (interrupts on: they are
 * trap gates), the shortest way through the kernel: the call, then the one test for the way
 * out. A guest's INT n is its own kernel's, so it goes to trap_dispatch like any other trap.
 */
void syscall_entry(struct trapframe *tf)
{
    if (current->task->guest) {
        trap_dispatch(tf);
        return;
    }
    tf->eax = (u32)syscall_table[tf->cause - SYSCALL_FIRST](tf);
    interrupts_off();                   /* on until the iret, unless there is work */
    if (trap_exit_due(NULL)) {
        interrupts_on();
        trap_exit_work(tf, NULL);
    }
}

/* --- the end of a user fault, and of the machine --- */

/* A user-mode fault: to the thread's swexn handler, or else reported in one line and the end
 * of the thread (the task's status becomes -2). */
static void user_fault(struct trapframe *tf)
{
    struct task *task = current->task;
    if (swexn_deliver(tf) == 0)
        return;
    printf("kernel: killed task %d (%s) thread %d: %s at eip 0x%08x, cr2 0x%08x\n", task->tid,
           task->name, current->tid, exception_names[tf->cause], tf->eip, tf->cr2);
    task_set_status(task, -2);
    thread_exit();
}

static void __attribute__((noreturn)) kernel_halt(int status)
{
    boot_prompt_log();
    printf("kernel: halt, status %d\n", status);
    machine_off(status, 0);
}

/* Interrupts from devices. Interrupts stay off while their handlers run. */
static void irq_dispatch(struct trapframe *tf)
{
    int irq = (int)tf->cause - IRQ_BASE;
    u32 ev;
    if (!irq_is_real(irq))
        return;
    switch (irq) {
    case IRQ_TIMER: timer_irq(); break;
    case IRQ_KEYBOARD:
        if (keyboard_event(tf, &ev))
            key_event_deliver(ev);
        break;
    case IRQ_COM1: serial_irq(); break;
    case IRQ_FLOPPY: floppy_irq(); break;
    default: break;
    }
    irq_done(irq);
}

/* Last steps of every trap but a system call (syscall_entry has its own copy of these three
 * lines): one test with interrupts off sees whether anything is due on the way out; most
 * traps need nothing and go straight back, interrupts staying off until the iret. */
static void trap_exit_checks(struct trapframe *tf, struct guest *g)
{
    u32 was_on = irq_save();
    if (!trap_exit_due(g))
        return;                         /* the common case: nothing to do, straight back */
    irq_restore(was_on);
    trap_exit_work(tf, g);
}

/* The way out of a trap when trap_exit_due: the misbehave modes force extra switches; then the
 * timer's preemption; then the virtual interrupts of g, the guest trapped from (or NULL); last,
 * with interrupts off until the iret, a killed thread leaves instead of returning to user mode
 * (so it runs no further call). */
static void trap_exit_work(struct trapframe *tf, struct guest *g)
{
    int to_user = (tf->cs & 3) != 0;
    if (to_user && (exit_work & EXIT_YIELD) && tf->cause >= SYSCALL_FIRST)
        thread_yield();
    preempt_check();
    if (!to_user)
        return;
    if (g)
        guest_events(tf);               /* virtual interrupts, if the guest takes them */
    interrupts_off();                   /* from the last look at `killed` to the iret: */
    if (current->killed) {              /* nothing can switch, so a kill is never missed */
        interrupts_on();                /* exiting takes locks */
        thread_exit();
    }
}

/*==== 26. Self-tests ====*/
/*
 * Built with -DSELFTEST (build/kernel-selftest.bin), the boot thread runs these before the first
 * program. Each prints "selftest: NAME ok" or "selftest: NAME FAILED: why"; the last line is
 * "selftest: N passed, M failed". The test harness boots this kernel and checks those lines.
 */
#ifdef SELFTEST

static int selftest_passed, selftest_failed;
static char selftest_why[128];

/* Inside a self-test: records the first failed condition and leaves the test. */
#define CHECK(cond, ...) do {                                           \
        if (!(cond)) {                                                  \
            snprintf(selftest_why, sizeof selftest_why, __VA_ARGS__);   \
            return -1;                                                  \
        }                                                               \
    } while (0)

static void selftest(const char *name, int (*fn)(void))
{
    selftest_why[0] = 0;
    if (fn() == 0) {
        selftest_passed++;
        printf("selftest: %s ok\n", name);
    } else {
        selftest_failed++;
        printf("selftest: %s FAILED: %s\n", name, selftest_why);
    }
}

/* Console: drawing, \r \b \n, the hardware cursor, scrolling. */
static u16 crtc_cursor(void)
{
    outb(CRTC_INDEX, 14);
    u16 pos = (u16)(inb(CRTC_DATA) << 8);
    outb(CRTC_INDEX, 15);
    return pos | inb(CRTC_DATA);
}

/* Draws on console 1's screen only: the test's output stays out of the E9/serial log. */
static void vga_write(const char *s)
{
    console_draw(&consoles[0], s, strlen(s));
}

static int selftest_console(void)
{
    struct console *c = &consoles[0];
    int row;
    u16 *line;
    vga_write("\nab\rX");
    row = c->row;
    line = &screen_cells[row * CONSOLE_COLS];
    CHECK(c->screen == screen_cells, "console 1 is not drawing on the screen");
    CHECK((line[0] & 0xFF) == 'X' && (line[1] & 0xFF) == 'b', "\\r did not return to column 0");
    CHECK((line[0] >> 8) == c->color, "wrong colour byte");
    vga_write("\b\b");
    CHECK(c->col == 0 && (line[0] & 0xFF) == ' ', "\\b did not erase");
    CHECK(crtc_cursor() == row * CONSOLE_COLS, "hardware cursor not at the output position");
    vga_write("marker");
    for (int i = 0; i < CONSOLE_ROWS; i++)
        vga_write("\n");
    CHECK(c->row == CONSOLE_ROWS - 1, "no scrolling at the bottom");
    CHECK(row < 1 || (screen_cells[(row - 1) * CONSOLE_COLS] & 0xFF) != 'm', "scroll lost lines");
    vga_write("\r");
    return 0;
}

/* Keyboard: scan code bytes in, key events out (kbd_decode alone: nothing reaches a console). */
#define KBD_NONE 0xFFFFFFFFu
static u32 kbd_feed(const u8 *bytes, u32 n)
{
    u32 ev = KBD_NONE, e;
    for (u32 i = 0; i < n; i++)
        if (kbd_decode(bytes[i], &e))
            ev = e;
    return ev;
}
#define FEED(...) kbd_feed((const u8[]){ __VA_ARGS__ }, sizeof((const u8[]){ __VA_ARGS__ }))
#define KEV(c, raw, flags, mods) ((u32)(c) | (u32)(raw) << 8 | (u32)(flags) << 16 \
                                  | (u32)(mods) << 24)
#define KEV_KEY (KEV_PRESS | KEV_CHAR_VALID | KEV_RAW_VALID)

static int selftest_keyboard(void)
{
    u8 n = MOD_NUMLOCK;
    CHECK(FEED(0x1E) == KEV('a', 'a', KEV_KEY, n), "a press");
    CHECK(FEED(0x9E) == KEV('a', 'a', KEV_CHAR_VALID | KEV_RAW_VALID, n), "a release");
    CHECK(FEED(0x2A, 0x1E) == KEV('A', 'a', KEV_KEY, n | MOD_LSHIFT), "shift a");
    CHECK(FEED(0x03, 0xAA) == KEV(KEY_LSHIFT, KEY_LSHIFT, KEV_CHAR_VALID | KEV_RAW_VALID, n),
          "shift release");
    CHECK(FEED(0x3A, 0x3A, 0xBA, 0x1E) == KEV('A', 'a', KEV_KEY, n | MOD_CAPSLOCK),
          "caps lock (auto-repeat must not toggle twice)");
    CHECK(FEED(0x36, 0x1E, 0xB6) != KBD_NONE && FEED(0x36, 0x1E) == KEV('a', 'a', KEV_KEY,
          n | MOD_CAPSLOCK | MOD_RSHIFT), "caps lock with shift");
    CHECK(FEED(0xB6, 0x02) == KEV('1', '1', KEV_KEY, n | MOD_CAPSLOCK), "caps lock on a digit");
    CHECK(FEED(0xBA, 0x3A, 0xBA, 0x1D, 0x2E) == KEV(3, 'c', KEV_KEY, n | MOD_LCTRL), "ctrl c");
    CHECK(FEED(0x9D, 0xE0, 0x48) == KEV(KEY_UP, KEY_UP, KEV_KEY, n), "E0 up arrow");
    CHECK(FEED(0xE0, 0x1C) == KEV('\n', '\n', KEV_KEY | KEV_KEYPAD, n), "keypad enter");
    CHECK(FEED(0xE0, 0x35) == KEV('/', '/', KEV_KEY | KEV_KEYPAD, n), "keypad /");
    CHECK(FEED(0xE0, 0x38) == KEV(KEY_RALT, KEY_RALT, KEV_KEY, n | MOD_RALT), "right alt");
    CHECK(FEED(0xE0, 0xB8, 0xE0, 0x53) == KEV(KEY_DELETE, KEY_DELETE, KEV_KEY, n), "delete");
    CHECK(FEED(0x48) == KEV('8', '8', KEV_KEY | KEV_KEYPAD, n), "keypad 8, num lock on");
    CHECK(FEED(0x45, 0xC5, 0x48) == KEV(KEY_UP, KEY_UP, KEV_KEY | KEV_KEYPAD, 0),
          "keypad 8, num lock off");
    CHECK(FEED(0x45, 0xC5, 0xE0, 0x47) == KEV(0, 0, KEV_PRESS, n), "home: no character");
    CHECK(FEED(0xE1, 0x1D, 0x45, 0xE1, 0x9D, 0xC5) == KEV(KEY_PAUSE, KEY_PAUSE, KEV_KEY, n),
          "pause: one event for six bytes");
    CHECK(FEED(0x59) == KBD_NONE && FEED(0x7F) == KBD_NONE && FEED(0xFA) == KBD_NONE,
          "unknown codes and acknowledgements give no event");
    CHECK(FEED(0xE0, 0x2A) == KBD_NONE && FEED(0xE0, 0x1E) == KBD_NONE, "fake shift, E0 junk");
    CHECK(FEED(0x1E) == KEV('a', 'a', KEV_KEY, n), "a half-received code left state behind");
    CHECK(key_event_char(KEV(KEY_DOWN, KEY_DOWN, KEV_KEY, 0)) == KEY_DOWN
          && key_event_char(KEV(KEY_F1, KEY_F1, KEV_KEY, 0)) == 0
          && key_event_char(KEV('a', 'a', KEV_CHAR_VALID, 0)) == 0, "characters of events");
    return 0;
}

/* Scan-code garbage: 200,000 random bytes (prefixes, Pause sequences, releases of keys never
 * pressed, codes past the table) give only well-formed events and never bad state; the
 * decoder's state is put back afterwards, so the keyboard works as before. */
static int selftest_keyboard_garbage(void)
{
    u32 seed = 12345, events = 0, ev;
    u32 bad_flags = ~(u32)((KEV_PRESS | KEV_KEYPAD | KEV_CHAR_VALID | KEV_RAW_VALID) << 16
                           | 0xFF00FFFFu);
    typeof(kbd) saved = kbd;
    for (int i = 0; i < 200000; i++) {
        seed = seed * 1103515245u + 12345u;
        if (!kbd_decode((u8)(seed >> 16), &ev))
            continue;
        events++;
        CHECK(!(ev & bad_flags), "event %08x has unknown flags", ev);
        CHECK(!(ev & 0xFF) == !(ev & (KEV_CHAR_VALID << 16))
              && !(ev & 0xFF00) == !(ev & (KEV_RAW_VALID << 16)),
              "event %08x: its valid flags do not match its characters", ev);
        CHECK(kbd.pause_left <= 5 && (kbd.prefix == 0 || kbd.prefix == 0xE0),
              "decoder state: pause %d, prefix %02x", kbd.pause_left, kbd.prefix);
    }
    kbd = saved;
    CHECK(events > 1000, "only %u events from 200,000 bytes", events);
    CHECK(FEED(0x1E) == KEV('a', 'a', KEV_KEY, MOD_NUMLOCK), "a after the garbage");
    return 0;
}

/* Sets the lock keys' state to mods, as a key would, and sleeps until the keyboard has
 * acknowledged the change of its lights (a few ticks at most); 0 if it never did. */
static int leds_follow(u8 mods)
{
    u32 was_on = irq_save(), acks = kbd_leds.acks, deadline = ticks + 50;
    kbd.mods = mods;
    kbd_leds_update();
    while ((kbd_leds.step || kbd_leds.acks == acks) && ticks < deadline)
        thread_sleep_until(ticks + 1);
    irq_restore(was_on);
    return kbd_leds.acks != acks;
}

/* The keyboard's lights: Num Lock's at boot; a change of the lock keys acknowledged by the
 * keyboard in both steps (the answers come with IRQ 1); the lights as the keys say. */
static int selftest_keyboard_leds(void)
{
    const u8 mods = MOD_NUMLOCK;        /* the boot's: the decoder's self-tests changed kbd.mods */
    CHECK(kbd_leds.shown == LED_NUM, "lights at boot: %02x, not Num Lock's", kbd_leds.shown);
    CHECK(leds_follow(mods | MOD_CAPSLOCK), "Caps Lock on: the keyboard did not answer");
    CHECK(kbd_leds.shown == (LED_NUM | LED_CAPS), "Caps Lock on: lights %02x", kbd_leds.shown);
    CHECK(leds_follow(mods & ~MOD_NUMLOCK), "both off: the keyboard did not answer");
    CHECK(kbd_leds.shown == 0, "both off: lights %02x", kbd_leds.shown);
    CHECK(leds_follow(mods), "Num Lock on again: the keyboard did not answer");
    return 0;
}

/* CMOS real-time clock seconds (waiting out an update in progress). */
static u8 rtc_seconds(void)
{
    outb(0x70, 0x0A);
    while (inb(0x71) & 0x80) {          /* update in progress: ~2 ms, sleep past it */
        u32 was_on = irq_save();
        thread_sleep_until(ticks + 1);
        irq_restore(was_on);
        outb(0x70, 0x0A);
    }
    outb(0x70, 0x00);
    return inb(0x71);
}

/* Sleeps until the RTC's second changes; returns the tick count then. */
static u32 wait_rtc_edge(void)
{
    u8 s = rtc_seconds();
    while (rtc_seconds() == s) {
        u32 was_on = irq_save();
        thread_sleep_until(ticks + 1);
        irq_restore(was_on);
    }
    return ticks;
}

/* Counts the ticks in one RTC second at rate hz: within 5% of hz? */
static int timer_rate_ok(u32 hz)
{
    u32 t0, t1;
    timer_set_rate(hz);
    t0 = wait_rtc_edge();
    t1 = wait_rtc_edge();
    timer_set_rate(TIMER_HZ);
    CHECK(t1 - t0 >= hz * 95 / 100 && t1 - t0 <= hz * 105 / 100,
          "%u ticks in one RTC second, expected %u", t1 - t0, hz);
    return 0;
}

/* Timer: one RTC second holds timer_hz ticks, at the default rate and at 1 kHz (1 ms ticks);
 * sleeping never wakes early. */
static int selftest_timer(void)
{
    u32 before;
    CHECK(ticks > 0, "no timer interrupt yet");
    if (timer_rate_ok(TIMER_HZ) < 0 || timer_rate_ok(TIMER_HZ_MAX) < 0)
        return -1;
    before = ticks;
    u32 was_on = irq_save();
    thread_sleep_until(ticks + 5);
    irq_restore(was_on);
    CHECK(ticks - before >= 5, "woke after %u ticks, not 5", ticks - before);
    return 0;
}

/* PIC: the mask registers hold what we wrote; a masked timer stops ticking, unmasked it runs. */
static int selftest_pic(void)
{
    u32 before;
    CHECK(inb(PIC1_DATA) == (pic_mask & 0xFF) && inb(PIC2_DATA) == (pic_mask >> 8),
          "mask registers %02x %02x, expected %04x", inb(PIC1_DATA), inb(PIC2_DATA), pic_mask);
    u32 was_on = irq_save();
    outb(PIC1_DATA, (pic_mask | 1) & 0xFF);            /* mask the timer for a moment */
    interrupts_on();
    before = ticks;
    for (u64 start = rdtsc(); rdtsc() - start < 2000000;)
        ;                               /* a deliberate, bounded busy wait: the test itself */
    interrupts_off();
    u32 masked_ticks = ticks - before;
    pic_write_mask();
    irq_restore(was_on);
    CHECK(masked_ticks == 0, "%u timer interrupts while masked", masked_ticks);
    before = ticks;
    was_on = irq_save();
    thread_sleep_until(ticks + 2);
    irq_restore(was_on);
    CHECK(ticks != before, "the timer does not run after unmasking");
    CHECK(spurious_irqs == 0, "%u spurious interrupts", spurious_irqs);
    return 0;
}

/* Frames: every user frame can be taken, zeroed, and given back; kernel runs are contiguous. */
static int selftest_frames(void)
{
    u32 free_before = uframes_free, kfree_before = kframes_free, n = 0, first = 0, pa;
    while ((pa = uframe_alloc()) != 0) {
        u32 *w = window_map(pa);
        int zero = w[0] == 0 && w[1023] == 0;
        w[0] = first;                   /* chain them through their first word */
        window_unmap(w);
        CHECK(zero, "frame 0x%x was not zeroed", pa);
        first = pa;
        n++;
    }
    CHECK(n == free_before, "got %u frames, %u were free", n, free_before);
    while (first) {
        u32 *w = window_map(first);
        u32 next = w[0];
        w[0] = 0xDEADBEEF;              /* dirty it: the next allocation must zero it again */
        window_unmap(w);
        uframe_unref(first);
        first = next;
    }
    CHECK(uframes_free == free_before, "%u frames free after, %u before", uframes_free,
          free_before);
    pa = kframe_alloc(5);
    CHECK(pa && kframes_free == kfree_before - 5, "no run of 5 kernel frames");
    kframe_free(pa, 5);
    CHECK(kframes_free == kfree_before, "kernel frames leaked");
    return 0;
}

/* Heap: many sizes, distinct and aligned blocks, contents intact, everything given back. */
static int selftest_heap(void)
{
    static void *blocks[200];
    u32 in_use = heap.bytes_in_use, kfree_before = kframes_free + heap.empty_slabs;
    for (int i = 0; i < 200; i++) {
        u32 size = 1 + (u32)(i * 37 % 5000);
        blocks[i] = kmalloc(size);
        CHECK(blocks[i] && ((u32)blocks[i] & 7) == 0, "kmalloc(%u) failed or misaligned", size);
        memset(blocks[i], i, size);
    }
    for (int i = 0; i < 200; i++) {
        u32 size = 1 + (u32)(i * 37 % 5000);
        for (u32 j = 0; j < size; j++)
            CHECK(((u8 *)blocks[i])[j] == (u8)i, "block %d overwritten at %u", i, j);
    }
    for (int i = 0; i < 200; i += 2)
        kfree(blocks[i]);
    for (int i = 1; i < 200; i += 2)
        kfree(blocks[i]);
    CHECK(heap.bytes_in_use == in_use, "heap bytes in use %u, before %u", heap.bytes_in_use,
          in_use);
    CHECK(kframes_free + heap.empty_slabs == kfree_before, "heap kept %d frames",
          (int)(kfree_before - kframes_free - heap.empty_slabs));
    CHECK(kmalloc(0x7FFFFFFF) == NULL, "a 2 GiB kmalloc succeeded");
    return 0;
}

/* POSIX cksum: CRC-32 (polynomial 0x04C11DB7, MSB first) over the data, then its length. */
static u32 crc_byte(u32 crc, u8 b)
{
    crc ^= (u32)b << 24;
    for (int i = 0; i < 8; i++)
        crc = crc & 0x80000000u ? crc << 1 ^ 0x04C11DB7u : crc << 1;
    return crc;
}

static u32 posix_cksum(const u8 *data, u32 len)
{
    u32 crc = 0;
    for (u32 i = 0; i < len; i++)
        crc = crc_byte(crc, data[i]);
    for (u32 n = len; n; n >>= 8)
        crc = crc_byte(crc, (u8)n);
    return ~crc;
}

/* Reads the decimal number that ends at *end (exclusive), moving *end to the space before it. */
static u32 number_before(const char *start, const char **end)
{
    u32 v = 0, scale = 1;
    const char *p = *end;
    while (p > start && p[-1] >= '0' && p[-1] <= '9') {
        v += (u32)(*--p - '0') * scale;
        scale *= 10;
    }
    *end = p > start ? p - 1 : p;
    return v;
}

/* Checks one "name crc size" line of the checksums file (names may hold spaces). */
static int check_file_sum(const char *line, u32 len)
{
    char name[FAT_NAME_MAX + 1];
    const char *end = line + len;
    u32 size = number_before(line, &end), crc = number_before(line, &end);
    struct fat_entry f;
    u8 *data;
    strlcpy(name, line, min_u32((u32)(end - line) + 1, sizeof name));
    CHECK(fat_lookup(name, &f) == 0, "%s: not found", name);
    CHECK(f.size == size, "%s: size %u, expected %u", name, f.size, size);
    CHECK((data = kmalloc(size + 1)) != NULL, "%s: no memory", name);
    int got = fat_read_kernel(&f, data, size, 0);
    u32 sum = posix_cksum(data, size);
    kfree(data);
    CHECK(got == (int)size, "%s: read %d of %u bytes", name, got, size);
    CHECK(sum == crc, "%s: checksum %u, expected %u", name, sum, crc);
    return 0;
}

/* Floppy: every file on the image reads back with the checksum build.sh computed. */
static int selftest_floppy(void)
{
    struct fat_entry f;
    static char sums[8192];
    int len, files = 0;
    CHECK(fat_lookup("checksums", &f) == 0, "no checksums file on the image");
    len = fat_read_kernel(&f, sums, sizeof sums - 1, 0);
    CHECK(len > 0 && len < (int)sizeof sums - 1, "checksums file unreadable or too big");
    for (char *line = sums; line < sums + len;) {
        char *eol = line;
        while (eol < sums + len && *eol != '\n')
            eol++;
        if (check_file_sum(line, (u32)(eol - line)) < 0)
            return -1;
        files++;
        line = eol + 1;
    }
    CHECK(files >= 3, "only %d files checked", files);
    printf("selftest: floppy: %d files verified, %u track reads, %u cache hits\n", files,
           floppy.reads, floppy.hits);
    return 0;
}

/* count sectors from lba on, all in one track, read from the disk itself (not boot_runs) into
 * out. Returns 0 or -1. */
static int disk_sectors(u32 lba, u32 count, u8 *out)
{
    struct track_cache *t;
    mutex_lock(&floppy.lock);
    t = floppy_track((int)(lba / FD_SPT), lba % FD_SPT);
    if (t)
        memcpy(out, t->data + lba % FD_SPT * FD_SECTOR, count * FD_SECTOR);
    mutex_unlock(&floppy.lock);
    return t ? 0 : -1;
}

/* Floppy: what boot.asm left in memory (boot_runs) is what the disk holds; a track read from
 * a late sector on is read again, whole, when an earlier sector is wanted, and agrees. */
static int selftest_floppy_tracks(void)
{
    static u8 disk[FD_TRACK_BYTES], late[FD_SECTOR], one[FD_SECTOR];
    const int track = 40;               /* none of the boot's reads comes here */
    u32 reads;
    for (int i = 0; i < 3; i++) {
        const struct boot_run *r = &boot_runs[i];
        CHECK(r->count && r->lba / FD_SPT == (r->lba + r->count - 1) / FD_SPT,
              "boot run %d: %u sectors from %u", i, r->count, r->lba);
        CHECK(disk_sectors(r->lba, r->count, disk) == 0, "cannot read sector %u", r->lba);
        CHECK(!memcmp(disk, r->data, r->count * FD_SECTOR), "boot run %d differs", i);
    }
    reads = floppy.reads;
    CHECK(disk_sectors(track * FD_SPT + 17, 1, late) == 0, "cannot read track %d", track);
    CHECK(disk_sectors(track * FD_SPT + 3, 15, disk) == 0, "cannot read track %d", track);
    CHECK(disk_sectors(track * FD_SPT + 9, 1, one) == 0, "cannot read track %d again", track);
    CHECK(floppy.reads == reads + 2, "%u track reads for 2", floppy.reads - reads);
    CHECK(!memcmp(late, disk + 14 * FD_SECTOR, FD_SECTOR), "sector 17 read twice differs");
    return 0;
}

/* Whether name appears in the "." listing. */
static int listing_has(const char *list, u32 len, const char *name)
{
    for (u32 i = 0; i < len && list[i]; i += strlen(list + i) + 1)
        if (!strcmp(list + i, name))
            return 1;
    return 0;
}

/* FAT12: long names (case kept, 31+ characters), sub-directories, the "." listing. */
static int selftest_fat(void)
{
    static const char deep[] =
        "docs/nested/A Mixed Case Name With Spaces And More Than 31 Chars.txt";
    static const char text[] = "Deep inside: two levels down, with a long name.\n";
    struct fat_entry f;
    char buf[64];
    u32 len;
    int err;
    char *list;
    CHECK(fat_lookup(deep, &f) == 0 && f.size == sizeof text - 1, "long name in sub-directory");
    CHECK(fat_read_kernel(&f, buf, sizeof buf, 0) == (int)sizeof text - 1
          && !memcmp(buf, text, sizeof text - 1), "wrong contents");
    CHECK(fat_read_kernel(&f, buf, 5, f.size) == 0, "read at the end is not 0");
    CHECK(fat_read_kernel(&f, buf, 5, f.size + 1) < 0, "read past the end is not an error");
    CHECK(fat_lookup("docs/nested/a mixed case name with spaces and more than 31 chars.txt",
                     &f) == E_NOENT, "lookups ignore case");
    CHECK(fat_lookup("docs", &f) == 0 && f.is_dir, "docs is not a directory");
    CHECK(fat_lookup("docs/missing", &f) == E_NOENT, "a missing file was found");
    CHECK(fat_lookup("hello.txt/x", &f) == E_NOENT, "a file used as a directory");
    CHECK(fat_lookup("hello.txt", &f) == 0, "hello.txt (an 8.3 lower-case name)");
    CHECK(fat_lookup("KERNEL.BIN", &f) == 0, "KERNEL.BIN (an 8.3 upper-case name)");
    list = fat_listing(&len, &err);
    CHECK(list, "no listing: %d", err);
    int ok = listing_has(list, len, deep) && listing_has(list, len, "hello.txt")
          && listing_has(list, len, "docs/readme.txt") && list[len - 1] == 0
          && list[len - 2] == 0;
    kfree(list);
    CHECK(ok, "the . listing misses names or its final NUL");
    return 0;
}

static void selftests_run(void)
{
    selftest("console", selftest_console);
    selftest("keyboard", selftest_keyboard);
    selftest("keyboard garbage", selftest_keyboard_garbage);
    selftest("keyboard leds", selftest_keyboard_leds);
    selftest("pic", selftest_pic);
    selftest("timer", selftest_timer);
    selftest("frames", selftest_frames);
    selftest("heap", selftest_heap);
    selftest("floppy", selftest_floppy);
    selftest("floppy tracks", selftest_floppy_tracks);
    selftest("fat", selftest_fat);
    printf("selftest: %d passed, %d failed\n", selftest_passed, selftest_failed);
}
#endif
