; start.asm - the guest library's assembly (see guest.h): the entry point, the hypercall
; stubs, the trap entry stubs, the probes, and the ways in and out of guest-user mode.
;
; Hypercalls (doc/syscalls.md 16): INT 0xDE, the operation in eax, argument 0 at (esp),
; argument 1 at 4(esp)... with no return address. A stub copies its C arguments below its own
; return address and points esp at the copy: an event delivered as the hypercall returns then
; pushes its frame below the copy, never over the return address (as `add esp, 4` and INT
; would let it).
bits 32

extern main, guest_trap

section .bss
align 16
global entry_regs, trap_stack_top
entry_regs:     resd 8                  ; eax ebx ecx edx esi edi ebp esp at _start
kernel_resume:  resd 1                  ; enter_user's saved esp (see user_return)
boot_stack:     resb 16384
boot_stack_top:
trap_stack:     resb 8192               ; esp0: deliveries from guest-user mode land here
trap_stack_top:

section .text

;==== Entry ====
; The hypervisor starts us with paging off, eax = 0x15410DE0, ebx = the highest frame
; number, ecx = the highest virtual address, the rest 0 (esp too: we need our own stack).
global _start
_start:
        mov [entry_regs + 0], eax
        mov [entry_regs + 4], ebx
        mov [entry_regs + 8], ecx
        mov [entry_regs + 12], edx
        mov [entry_regs + 16], esi
        mov [entry_regs + 20], edi
        mov [entry_regs + 24], ebp
        mov [entry_regs + 28], esp
        mov esp, boot_stack_top
        call main
        push eax                        ; hv_exit(main's value)
        push eax                        ; (a return address slot for the stub)
        jmp hv_exit

;==== Hypercalls ====
; HYPERCALL name, op, nargs: the C function name(arg0, ...) doing operation op.
%macro HYPERCALL 3
global %1
%1:
%rep %3
        push dword [esp + 4 * %3]       ; the same offset picks the next lower argument
%endrep
        mov eax, %2
        int 0xDE
%if %3 > 0
        add esp, 4 * %3
%endif
        ret
%endmacro

HYPERCALL hv_magic, 0, 0
HYPERCALL hv_exit, 1, 1
HYPERCALL hv_iret, 2, 5
HYPERCALL hv_setidt, 3, 3
HYPERCALL hv_disable_interrupts, 4, 0
HYPERCALL hv_setpd, 6, 2
HYPERCALL hv_adjustpg, 7, 1
HYPERCALL hv_print, 8, 2
HYPERCALL hv_cons_set_term_color, 9, 1
HYPERCALL hv_cons_set_cursor_pos, 10, 2
HYPERCALL hv_cons_get_cursor_pos, 11, 2
HYPERCALL hv_print_at, 12, 5

; hv_enable_interrupts, with a label where a pending event is delivered.
global hv_enable_interrupts, hv_enable_interrupts_after
hv_enable_interrupts:
        mov eax, 5
        int 0xDE
hv_enable_interrupts_after:
        ret

; unsigned hv_call(op, a0, a1, a2, a3, a4): any operation (the arguments, then eax = op).
global hv_call
hv_call:
%rep 5
        push dword [esp + 24]
%endrep
        mov eax, [esp + 24]
        int 0xDE
        add esp, 20
        ret

;==== Trap entry ====
; The stub of slot N pushes N and joins trap_common, which saves the registers, makes room
; for hv_iret's five arguments, and calls guest_trap(struct trap_frame *). guest_trap fills
; the arguments (and the saved registers, if it likes); the registers are reloaded, but for
; eax, which hv_iret sets. The frame layout must match struct trap_frame in guest.h.
%macro TRAP 1
trap_ %+ %1:
        push dword %1
        jmp trap_common
%endmacro

%assign n 0
%rep 34
TRAP n
%assign n n + 1
%endrep
TRAP 65                                 ; 0x41 (decimal: the labels are made from it)
TRAP 66                                 ; 0x42
TRAP 128                                ; 0x80
TRAP 129                                ; 0x81
TRAP 131                                ; 0x83
TRAP 153                                ; 0x99

trap_common:
        pushad
        sub esp, 20                     ; ret_eip ret_eflags ret_esp ret_esp0 ret_eax
        push esp
        call guest_trap
        add esp, 4
        mov edi, [esp + 20]
        mov esi, [esp + 24]
        mov ebp, [esp + 28]
        mov ebx, [esp + 36]
        mov edx, [esp + 40]
        mov ecx, [esp + 44]
        mov eax, 2                      ; hv_iret with the five words at esp
        int 0xDE

; trap_stubs: (slot, stub) pairs for every slot that has a stub, ending with (0, 0).
section .rodata
global trap_stubs
trap_stubs:
%assign n 0
%rep 256
%if n < 34 || n == 0x41 || n == 0x42 || n == 0x80 || n == 0x81 || n == 0x83 || n == 0x99
        dd n, trap_ %+ n
%endif
%assign n n + 1
%endrep
        dd 0, 0
section .text

;==== Probes ====
; Each returns 0, or the vector of the fault its one instruction (label NAME_insn) took:
; guest_trap sees eip at NAME_insn and resumes at NAME_end with eax = the vector.
global probe_read, probe_read_insn, probe_read_end
probe_read:
        mov ecx, [esp + 4]
        xor eax, eax
probe_read_insn:
        mov cl, [ecx]
probe_read_end:
        ret

global probe_write, probe_write_insn, probe_write_end
probe_write:
        mov ecx, [esp + 4]
        mov edx, [esp + 8]
        xor eax, eax
probe_write_insn:
        mov [ecx], edx
probe_write_end:
        ret

; PROBE name, instruction...
%macro PROBE 2+
global probe_%1, probe_%1_insn, probe_%1_end
probe_%1:
        xor eax, eax
probe_%1_insn:
        %2
probe_%1_end:
        ret
%endmacro

PROBE ud2, ud2
PROBE cli, cli
PROBE hlt, hlt
PROBE int_0x41, int 0x41
PROBE int_0x42, int 0x42
PROBE int_0x80, int 0x80
PROBE int_0x81, int 0x81
PROBE int_0x99, int 0x99
PROBE int_0x20, int 0x20                ; the timer's slot, as a software interrupt
PROBE int_0x83, int 0x83
PROBE int_0xde, int 0xDE                ; eax = 0: hv_magic, if it were a hypercall

; probe_table: (instruction, resume address) pairs, ending with 0.
section .rodata
global probe_table
probe_table:
%macro PROBE_ENTRY 1
        dd probe_%1_insn, probe_%1_end
%endmacro
PROBE_ENTRY read
PROBE_ENTRY write
PROBE_ENTRY ud2
PROBE_ENTRY cli
PROBE_ENTRY hlt
PROBE_ENTRY int_0x41
PROBE_ENTRY int_0x42
PROBE_ENTRY int_0x80
PROBE_ENTRY int_0x81
PROBE_ENTRY int_0x99
PROBE_ENTRY int_0x20
PROBE_ENTRY int_0x83
PROBE_ENTRY int_0xde
        dd 0, 0
section .text

;==== A fault on another stack ====
; void ud2_on_stack(esp): ud2 with esp there (for the crash guests: a frame that cannot be
; written). If a handler resumes after it, the old stack comes back.
global ud2_on_stack
ud2_on_stack:
        mov ecx, esp
        mov esp, [esp + 4]
        ud2
        mov esp, ecx
        ret

;==== hv_iret to oneself ====
; void iret_self(eflags): hv_iret(iret_self_after, eflags, esp after the call's arguments
; are dropped, 0, eax) -- a kernel-to-kernel iret that lands on the next instruction.
global iret_self, iret_self_after
iret_self:
        push eax                        ; eax (unchanged)
        push 0                          ; esp0 = 0: stay in guest-kernel mode
        lea eax, [esp + 8]
        push eax                        ; esp: where it is now, at our return address
        push dword [esp + 16]           ; eflags (the argument)
        push iret_self_after
        mov eax, 2
        int 0xDE
iret_self_after:
        ret

;==== Guest-user mode ====
; uint32_t enter_user_asm(fn, user_stack, eflags, esp0): hv_iret into guest-user mode at fn;
; comes back (at user_return) when a handler irets there with kernel_resume as esp.
global enter_user_asm, user_return, kernel_resume
enter_user_asm:
        push ebp
        push ebx
        push esi
        push edi
        mov [kernel_resume], esp        ; fn at esp+20, stack +24, eflags +28, esp0 +32
        push 0                          ; eax
        push dword [esp + 36]           ; esp0
        push dword [esp + 32]           ; esp (user_stack)
        push dword [esp + 40]           ; eflags
        push dword [esp + 36]           ; eip (fn)
        mov eax, 2
        int 0xDE
user_return:
        pop edi
        pop esi
        pop ebx
        pop ebp
        ret
