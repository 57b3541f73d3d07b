; entry.asm -- the assembly the C kernel cannot do without.
;
; Assembled twice, like kernel.c (its section 6): for the bare PC, and with -DGUEST for the
; kernel built as a PebPeb guest (build/pebbles-guest). Each has its own entry and trap
; stubs; what follows them (hv_call, switch_stacks, the user-memory copies, the boot stack)
; is shared.
;
; On the PC, boot.asm loads KERNEL.BIN (kernel.bin: this file's code first, then kernel.c) at
; physical 0x10000 and jumps to 0x1000:0000 in 16-bit real mode with DL = BIOS boot drive
; and DI = 'FK' (the FAT, root directory and boot sector it read are still in low memory).
; From there:
;
;   entry16      real mode: ask the BIOS for the memory map (E820, falling back to E801 and
;                AH=88h), enable the A20 line, load a flat GDT, set CR0.PE
;   entry32      32-bit protected mode: flat segments, the boot stack, unpack the rest of
;                the kernel (unpack_kernel), clear .bss, and kernel_main(&boot_info)
;                -- never returns
;
; and, for kernel.c at run time:
;
;   trap_stub_N  one per interrupt vector: builds a trap frame laid out exactly like ureg_t
;   trap_common  calls the stub's C entry: syscall_entry(frame) for the system-call
;                vectors, trap_dispatch(frame) for the rest; returns through trap_return
;   switch_stacks  the one context-switch primitive
;   copy_user / user_strnlen  user-memory access whose faults return -1 instead of panicking
;
; As a guest (see "The guest's entry and traps" below):
;
;   guest_entry  32-bit, paging off, as the hypervisor starts a guest: the boot stack, clear
;                .bss, a memory map of one range, and kernel_main(&boot_info)
;   trap_stub_N / trap_common / trap_return   the same jobs through hypercalls
;
; Everything here is position-dependent: the linker places this file's .text at 0x10000.

KERNEL_CS       equ 0x08            ; must match GDT_KERNEL_CS in kernel.c
KERNEL_DS       equ 0x10            ; must match GDT_KERNEL_DS in kernel.c
SYSCALL_FIRST   equ 0x40            ; the system-call vectors: must match kernel.c
SYSCALL_LAST    equ 0x8F
BOOT_MAGIC      equ 0x50424f4f      ; 'PBOO', must match BOOT_INFO_MAGIC in kernel.c
E820_MAX        equ 32              ; must match E820_MAX in kernel.c
E820_SIZE       equ 24              ; bytes per entry: base(8) length(8) type(4) extended(4)
MEM_FROM_E820   equ 1
MEM_FROM_E801   equ 2
MEM_FROM_88H    equ 3

extern kernel_main, __bss_start, __bss_end
global boot_info, trap_stub_table, trap_return, switch_stacks, hv_call
global copy_user, user_strnlen, user_access_begin, user_access_end, user_access_fault

section .text
%ifndef GUEST
extern trap_dispatch, syscall_entry
global entry16, packed_start

;==================================================================================================
; 16-bit real mode. CS = 0x1000, so a label's offset is (label - $$); DS = ES = 0x1000 likewise.
;==================================================================================================
bits 16
entry16:
        cli
        mov     ax, cs
        mov     ds, ax                  ; ds = es = our segment, so [x - $$] addresses label x
        mov     es, ax
        xor     ax, ax
        mov     ss, ax
        mov     sp, 0x7c00              ; boot.asm's sector is no longer needed: stack below it
        mov     [boot_info.drive - $$], dl
        mov     [boot_info.kept - $$], di  ; boot.asm's word: its FAT and root are still here
        call    detect_memory
        call    enable_a20
        lgdt    [boot_gdt_desc - $$]    ; the GDT's linear address is absolute in the descriptor
        mov     eax, cr0
        or      eax, 1                  ; CR0.PE: protected mode on
        mov     cr0, eax
        jmp     dword KERNEL_CS:entry32 ; reload CS: from here on 32-bit code

; detect_memory: fill boot_info.e820[] and set boot_info.source.
; E820 gives a list of ranges; the older calls give two sizes, turned into entries here so that
; kernel.c reads one format whatever the BIOS could do.
detect_memory:
        mov     di, boot_info.e820 - $$ ; es:di = first entry
        xor     ebx, ebx                ; continuation value: 0 = start
.next:
        mov     dword [di + 20], 1      ; "extended attributes: valid", unless the BIOS says not
        mov     eax, 0xe820
        mov     edx, 0x534d4150         ; 'SMAP'
        mov     ecx, E820_SIZE
        int     0x15
        jc      .e820_done              ; carry: no (more) entries
        cmp     eax, 0x534d4150
        jne     .e820_done              ; the BIOS does not know E820
        jcxz    .skip                   ; zero-length answer: ignore it
        inc     dword [boot_info.count - $$]
        add     di, E820_SIZE
        cmp     dword [boot_info.count - $$], E820_MAX
        je      .e820_done
.skip:
        test    ebx, ebx                ; ebx == 0: that was the last entry
        jnz     .next
.e820_done:
        cmp     dword [boot_info.count - $$], 0
        je      .try_e801
        mov     dword [boot_info.source - $$], MEM_FROM_E820
        ret
.try_e801:                              ; ax = KiB in 1..16 MiB, bx = 64 KiB blocks above 16 MiB
        mov     ax, 0xe801
        int     0x15
        jc      .try_88
        mov     dword [boot_info.source - $$], MEM_FROM_E801
        movzx   ecx, ax
        shl     ecx, 10                 ; bytes from 1 MiB
        mov     edx, 0x100000
        call    add_range               ; [1 MiB, 1 MiB + ax KiB)
        movzx   ecx, bx
        shl     ecx, 16                 ; bytes from 16 MiB
        mov     edx, 0x1000000
        jmp     add_range               ; [16 MiB, 16 MiB + bx * 64 KiB)
.try_88:                                ; ax = KiB above 1 MiB (at most 63 MiB)
        mov     ah, 0x88
        int     0x15
        mov     dword [boot_info.source - $$], MEM_FROM_88H
        movzx   ecx, ax
        shl     ecx, 10
        mov     edx, 0x100000
        jmp     add_range

; add_range: append the usable range [edx, edx + ecx) to boot_info.e820 (32-bit bases suffice).
add_range:
        mov     eax, [boot_info.count - $$]
        imul    eax, E820_SIZE
        add     eax, boot_info.e820 - $$
        mov     di, ax
        mov     [di], edx               ; base, low half (high half stays 0 from the zeroed table)
        mov     [di + 8], ecx           ; length, low half
        mov     dword [di + 16], 1      ; type 1: usable RAM
        inc     dword [boot_info.count - $$]
        ret

; enable_a20: make address bit 20 work, trying the BIOS, the fast A20 port, then the 8042.
enable_a20:
        call    a20_on
        je      .done
        mov     ax, 0x2401              ; BIOS: enable A20
        int     0x15
        call    a20_on
        je      .done
        in      al, 0x92                ; "fast A20": system control port A, bit 1
        or      al, 2
        and     al, 0xfe                ; never set bit 0: it resets the machine
        out     0x92, al
        call    a20_on
        je      .done
        call    kbc_wait
        mov     al, 0xd1                ; 8042: write output port
        out     0x64, al
        call    kbc_wait
        mov     al, 0xdf                ; output port value with A20 set
        out     0x60, al
        call    kbc_wait
        call    a20_on
        je      .done
        mov     si, a20_msg - $$
        jmp     fatal16
.done:
        ret

; kbc_wait: until the 8042's input buffer is empty (bounded, so a missing 8042 cannot hang us).
kbc_wait:
        mov     cx, 0xffff
.poll:  in      al, 0x64
        test    al, 2
        loopnz  .poll
        ret

; a20_on: ZF = 1 when A20 is enabled. Writes to 0000:0500 and reads FFFF:0510, the same
; address when bit 20 is masked.
a20_on:
        push    ds
        push    es
        xor     ax, ax
        mov     ds, ax                  ; ds = 0x0000
        not     ax
        mov     es, ax                  ; es = 0xffff
        mov     byte [0x0500], 0x00
        mov     byte [es:0x0510], 0xff
        cmp     byte [0x0500], 0x00     ; unchanged: the two addresses differ, A20 works
        pop     es
        pop     ds
        ret

; fatal16: print the NUL-terminated string at ds:si with the BIOS and stop.
fatal16:
        lodsb
        test    al, al
        jz      .halt
        mov     ah, 0x0e                ; BIOS teletype output
        int     0x10
        jmp     fatal16
.halt:  hlt
        jmp     .halt

a20_msg: db "entry: cannot enable the A20 line", 0

; The boot GDT: null, flat code, flat data. kernel.c installs its full GDT (user segments, TSS)
; with the same two kernel selectors, so nothing needs reloading in between.
align 8
boot_gdt:
        dq      0
        dq      0x00cf9a000000ffff      ; 0x08: base 0, limit 4 GiB, 32-bit code, ring 0
        dq      0x00cf92000000ffff      ; 0x10: base 0, limit 4 GiB, data, ring 0
boot_gdt_desc:
        dw      boot_gdt_desc - boot_gdt - 1
        dd      boot_gdt

; struct boot_info in kernel.c (must match): the record kernel_main receives.
align 4
boot_info:
.magic:  dd     BOOT_MAGIC
.drive:  dd     0                       ; BIOS drive number boot.asm loaded us from
.source: dd     0                       ; MEM_FROM_*: which BIOS call gave the map
.count:  dd     0                       ; entries used in e820[]
.kept:   dd     0                       ; BOOT_KEPT_MAGIC if boot.asm's sectors are in memory
.e820:   times E820_MAX * E820_SIZE db 0

;==================================================================================================
; 32-bit protected mode, flat segments, paging off.
;==================================================================================================
bits 32
entry32:
        mov     ax, KERNEL_DS
        mov     ds, ax
        mov     es, ax
        mov     fs, ax
        mov     gs, ax
        mov     ss, ax
        mov     esp, boot_stack_top
        call    unpack_kernel           ; everything after packed_start, as the linker made it
        mov     edi, __bss_start        ; memset(__bss_start, 0, __bss_end - __bss_start),
        mov     ecx, __bss_end          ; a word at a time (the linker script starts and ends
        sub     ecx, edi                ; .bss on 16-byte boundaries)
        shr     ecx, 2
        xor     eax, eax
        cld
        rep stosd
        xor     ebp, ebp                ; backtraces stop at a zero frame pointer
        push    boot_info
        call    kernel_main             ; kernel_main(&boot_info): never returns
.hang:  cli
        hlt
        jmp     .hang

;--------------------------------------------------------------------------------------------------
; KERNEL.BIN is this kernel as the linker made it up to packed_start; the rest (the other
; stubs, all of kernel.c, its data and symbols) is packed, by build.sh's tools/kpack.py, which
; describes the format and fills in the two sizes below. Fewer sectors for the BIOS to read:
; under Bochs each is 11 ms of a turning disk. unpack_kernel moves the packed bytes out of the
; way (to 1 MiB, free at this point) and unpacks them to packed_start, where they belong.
;--------------------------------------------------------------------------------------------------
PACK_SCRATCH    equ 0x100000

unpack_kernel:
        mov     esi, packed_start       ; memcpy(PACK_SCRATCH, packed_start, packed_bytes)
        mov     edi, PACK_SCRATCH
        mov     ecx, [packed_bytes]
        add     ecx, 3
        shr     ecx, 2
        cld
        rep movsd
        mov     esi, PACK_SCRATCH       ; esi: the packed stream
        mov     edi, packed_start       ; edi: the output
        mov     edx, edi
        add     edx, [unpacked_bytes]   ; edx: where the output ends
.next:  cmp     edi, edx
        jae     .done
        movzx   ecx, byte [esi]         ; c = *esi++
        inc     esi
        cmp     cl, 0x80
        jae     .copy
        inc     ecx                     ; c < 0x80: c + 1 literal bytes
        rep movsb
        jmp     .next
.copy:  mov     eax, ecx
        and     ecx, 0x3F
        add     ecx, 3                  ; length = (c & 0x3F) + 3
        test    al, 0x40
        movzx   eax, byte [esi]         ; distance - 1: one byte (c = 10xxxxxx) ...
        jz      .near
        movzx   eax, word [esi]         ; ... or two (c = 11xxxxxx)
        inc     esi
.near:  inc     esi
        inc     eax
        push    esi
        mov     esi, edi
        sub     esi, eax                ; copy from distance bytes back in the output,
        rep movsb                       ; byte by byte: the copy may overlap what it makes
        pop     esi
        jmp     .next
.done:  ret

align 4
packed_bytes:   dd 0                    ; filled in by tools/kpack.py
unpacked_bytes: dd 0
packed_start:                           ; from here on, KERNEL.BIN is packed

;==================================================================================================
; Traps. The CPU pushes ss, esp (only from ring 3), eflags, cs, eip and for some exceptions an
; error code. Each stub completes a frame that is exactly a ureg_t (doc/syscalls.md section 9):
;
;     high  ss, esp, eflags, cs, eip     pushed by the CPU (ss, esp only on a ring change)
;           error_code                   by the CPU, or a 0 pushed by the stub
;           eax ecx edx ebx zero ebp esi edi   pusha ("zero" holds the kernel esp; ignored)
;           gs fs es ds                  the segment registers
;           cr2                          filled by trap_dispatch for page faults
;     low   cause                        the vector number          <- struct trapframe *
;==================================================================================================
%macro TRAP_STUB 1
trap_stub_%1:
%if %1 != 8 && %1 != 10 && %1 != 11 && %1 != 12 && %1 != 13 && %1 != 14 && %1 != 17 && %1 != 21
        push    0                       ; no error code from the CPU: keep the frame shape
%endif
        pusha
        push    gs
        push    fs
        push    es
        push    ds
        push    0                       ; cr2
        push    %1                      ; cause
%if %1 >= SYSCALL_FIRST && %1 <= SYSCALL_LAST
        mov     ecx, syscall_entry      ; the C entry: the system calls' own short way,
%else
        mov     ecx, trap_dispatch      ; or the one for every other trap (ecx is saved)
%endif
        jmp     trap_common
%endmacro

trap_common:
        mov     ax, KERNEL_DS           ; user code may have left anything in ds/es
        mov     ds, ax
        mov     es, ax
        cld                             ; the C compiler assumes DF = 0
        push    esp                     ; syscall_entry(frame) or trap_dispatch(frame)
        call    ecx
        add     esp, 4
; trap_return: leave the kernel through the frame at esp. New threads start here too.
trap_return:
        add     esp, 8                  ; drop cause and cr2
        pop     ds
        pop     es
        pop     fs
        pop     gs
        popa
        add     esp, 4                  ; drop the error code
        iret

%else
;==================================================================================================
; The guest's entry and traps (PebPeb v2: doc/syscalls.md section 16).
;==================================================================================================
extern guest_trap_entry, guest_vif
global guest_entry

GUEST_BOOT_MAGIC equ 0x15410DE0     ; must match kernel.c
GUEST_FRAME_USER equ 0x13370000     ; delivery frame marker: guest-user mode was interrupted
HV_IRET         equ 2               ; hypercall numbers, as in kernel.c's enum hypercall
MEM_FROM_HYPERVISOR equ 4
EFLAGS_IF_BIT   equ 9

; The hypervisor starts us here: 32-bit, paging off, %eax = GUEST_BOOT_MAGIC, %ebx = the highest
; guest-physical frame number, segments of its choosing (kernel_main notes cs and ss).
guest_entry:
        cmp     eax, GUEST_BOOT_MAGIC
        jne     .not_a_guest
        mov     esp, boot_stack_top
        mov     edx, ebx                ; edx = highest frame number (rep stosb spares it)
        mov     edi, __bss_start        ; memset(__bss_start, 0, __bss_end - __bss_start),
        mov     ecx, __bss_end          ; a word at a time, as on the PC
        sub     ecx, edi
        shr     ecx, 2
        xor     eax, eax
        cld
        rep stosd
        inc     edx
        shl     edx, 12                 ; edx = bytes of guest-physical memory
        sub     edx, 0x100000
        mov     [boot_info.e820 + 8], edx   ; one usable range: [1 MiB, the end)
        xor     ebp, ebp                ; backtraces stop at a zero frame pointer
        push    boot_info
        call    kernel_main             ; kernel_main(&boot_info): never returns
.not_a_guest:                           ; no PebPeb hypervisor started us: nothing to do
        ud2

; struct boot_info in kernel.c (must match), as a guest has it: memory from the hypervisor.
section .data
align 4
boot_info:
.magic:  dd     BOOT_MAGIC
.drive:  dd     0
.source: dd     MEM_FROM_HYPERVISOR
.count:  dd     1
.kept:   dd     0
.e820:   dq     0x100000, 0             ; base 1 MiB; the length is filled in at entry
         dd     1, 1                    ; usable RAM; extended attributes valid
         times (E820_MAX - 1) * E820_SIZE db 0
section .text

;--------------------------------------------------------------------------------------------------
; Traps. Every delivery clears the virtual IF and enters the handler in guest-kernel mode with
; the hypervisor's frame at %esp: cr2, error code, eip, marker, eflags and, if guest-user mode
; was interrupted (marker GUEST_FRAME_USER), its esp, on the stack at the esp0 we gave. Each
; stub pushes its vector; trap_common pushes the registers and two spare words, and
; guest_trap_entry (kernel.c section 6) turns all that, in place, into the PC's trap frame.
;--------------------------------------------------------------------------------------------------
%macro TRAP_STUB 1
trap_stub_%1:
        push    %1                      ; the vector
        jmp     trap_common
%endmacro

trap_common:
        pusha
        push    gs
        push    fs
        push    es
        push    ds
        sub     esp, 8                  ; room for the frame's cause and cr2
        mov     ax, ss                  ; our data segment (user code may have left anything
        mov     ds, ax                  ; in ds and es)
        mov     es, ax
        cld                             ; the C compiler assumes DF = 0
        push    esp                     ; guest_trap_entry(raw): handles the trap
        call    guest_trap_entry
        mov     esp, eax                ; and returns the trap frame it made of raw
; trap_return: leave the kernel through the frame at esp, with hv_iret(eip, eflags, esp, esp0,
; eax). New threads start here too.
trap_return:
        add     esp, 8                  ; drop cause and cr2
        pop     ds
        pop     es
        pop     fs
        pop     gs
        popa
        push    eax                     ; eax is ours now: hv_iret gives it back
        mov     eax, [esp + 16]         ; guest_vif = eflags.IF of the frame
        shr     eax, EFLAGS_IF_BIT
        and     eax, 1
        mov     [ss:guest_vif], eax     ; (ds is the user's again: ss is still ours)
        test    byte [esp + 12], 3      ; cs: back to user mode?
        jz      .to_kernel
        ; [esp] eax, error code, eip, cs, eflags, esp, ss: the top of this kernel stack
        lea     eax, [esp + 28]
        push    eax                     ; esp0: the top of this kernel stack
        push    dword [esp + 24]        ; esp (push computes the address before moving esp)
        push    dword [esp + 24]        ; eflags
        push    dword [esp + 20]        ; eip
        mov     eax, HV_IRET
        int     0xDE                    ; never returns
.to_kernel:
        ; [esp] eax, error code, eip, cs, eflags; the interrupted stack continues above
        push    0                       ; esp0 0: stay in guest-kernel mode
        lea     eax, [esp + 24]
        push    eax                     ; esp: where the interrupted code had it
        push    dword [esp + 24]        ; eflags
        push    dword [esp + 20]        ; eip
        mov     eax, HV_IRET
        int     0xDE                    ; never returns
%endif

; The 256 stubs, made by this build's TRAP_STUB (the PC's or the guest's, above).
%assign vector 0
%rep 256
        TRAP_STUB vector
%assign vector vector + 1
%endrep

; trap_stub_table[v] = address of trap_stub_v, for building the IDT (or the guest's slots).
section .rodata
align 4
trap_stub_table:
%assign vector 0
%rep 256
        dd      trap_stub_ %+ vector
%assign vector vector + 1
%endrep

section .text
;==================================================================================================
; uint32_t hv_call(uint32_t op, uint32_t a0, a1, a2, a3, a4): a hypercall, INT 0xDE with the
; operation in %eax and the arguments at the stack pointer (copied below our frame, where a
; virtual interrupt taken right after cannot overwrite them before they are read). Returns %eax.
;==================================================================================================
hv_call:
        push    ebp
        mov     ebp, esp
        push    dword [ebp + 28]        ; a4
        push    dword [ebp + 24]
        push    dword [ebp + 20]
        push    dword [ebp + 16]
        push    dword [ebp + 12]        ; a0 at (%esp)
        mov     eax, [ebp + 8]          ; op
        int     0xDE
        leave
        ret

;==================================================================================================
; void switch_stacks(uint32_t *save_esp, uint32_t new_esp), the arguments in eax and edx
; Saves the callee-saved registers on this thread's kernel stack, stores the stack pointer in
; *save_esp, moves to new_esp and pops that thread's registers: it returns in the other thread,
; where that thread last called switch_stacks (or into a frame thread_create built to look so).
; Caller-saved registers (eax, ecx, edx) and eflags need no saving: the C caller assumes the
; call clobbers them, and interrupts are off on both sides.
;==================================================================================================
switch_stacks:                          ; eax = save_esp, edx = new_esp (regparm)
        push    ebp
        push    ebx
        push    esi
        push    edi
        mov     [eax], esp              ; *save_esp = esp
        mov     esp, edx                ; esp = new_esp
        pop     edi
        pop     esi
        pop     ebx
        pop     ebp
        ret

;==================================================================================================
; User-memory access. A fault between user_access_begin and user_access_end is not a kernel bug:
; the page-fault handler first tries to resolve it as the user's own fault would be (zero-fill,
; copy-on-write) and otherwise resumes at user_access_fault, which returns -1 to the caller.
; Both functions push the same registers, so one landing pad serves both.
; The caller has already checked that the user range lies above USER_MEM_START and does not wrap.
;==================================================================================================

; int copy_user(void *dst, const void *src, uint32_t n): memcpy that returns 0, or -1 on a fault.
copy_user:
        push    esi
        push    edi
        mov     edi, [esp + 12]
        mov     esi, [esp + 16]
        mov     ecx, [esp + 20]
user_access_begin:
        mov     edx, ecx
        shr     ecx, 2
        rep movsd                       ; whole words first
        mov     ecx, edx
        and     ecx, 3
        rep movsb                       ; then the 0..3 bytes left
        xor     eax, eax
        pop     edi
        pop     esi
        ret

; int user_strnlen(const char *s, uint32_t max): length of s if a NUL occurs in its first max
; bytes, max if not, -1 on a fault.
user_strnlen:
        push    esi
        push    edi
        mov     edi, [esp + 12]
        mov     ecx, [esp + 16]
        xor     eax, eax
        mov     edx, ecx
        jecxz   .no_nul                 ; max == 0: length 0 (scasb would leave ZF stale)
        repne scasb                     ; scan for al = 0 in at most ecx bytes
        jne     .no_nul
        inc     ecx                     ; the NUL itself was counted
.no_nul:
        sub     edx, ecx
        mov     eax, edx
        pop     edi
        pop     esi
        ret
user_access_end:

user_access_fault:
        mov     eax, -1
        pop     edi
        pop     esi
        ret

;==================================================================================================
; The boot stack: kernel_main runs on it until the first thread exists; then it becomes the idle
; thread's kernel stack.
;==================================================================================================
section .bss
align 4096
global boot_stack_bottom
boot_stack_bottom:
        resb    8192
boot_stack_top:
section .note.GNU-stack noalloc noexec nowrite progbits
