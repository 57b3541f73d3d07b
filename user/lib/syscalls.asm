; syscalls.asm - one stub per Pebbles system call (doc/syscalls.md section 1).
;
; Build: nasm -f elf32 syscalls.asm
;
; The kernel takes arguments in one of three ways, so there are three macros:
;   no argument     nothing to load:            int n
;   one argument    its value in %esi:          esi = first argument
;   two or more     %esi = address of a packet  esi = &first argument
;                   of 32-bit words in prototype order, first at the lowest address.
;
; A cdecl caller has already laid the arguments out on the stack exactly as such a
; packet, so the stub simply points %esi at its own first stack argument.
;
; Names are written $name in the macros because some (wait) are also x86
; mnemonics; the $ tells NASM "this is a symbol".
;
; %esi is callee-saved in cdecl, so the stubs that use it save and restore it.
; The result comes back in %eax, which is also where cdecl returns it.
;
; Stack inside a stub after "push esi":
;   [esp]     saved esi
;   [esp+4]   return address
;   [esp+8]   first argument, [esp+12] second, ...

section .text

; SYSCALL_NONE name, vector        ; int name(void)
%macro SYSCALL_NONE 2
global $%1:function
$%1:
    int %2                  ; return kernel's eax
    ret
%endmacro

; SYSCALL_ONE name, vector         ; int name(int a)
%macro SYSCALL_ONE 2
global $%1:function
$%1:
    push esi
    mov esi, [esp + 8]      ; esi = a
    int %2
    pop esi
    ret
%endmacro

; SYSCALL_PACKET name, vector      ; int name(int a, int b, ...)
%macro SYSCALL_PACKET 2
global $%1:function
$%1:
    push esi
    lea esi, [esp + 8]      ; esi = &a  (b, c, ... follow it on the stack)
    int %2
    pop esi
    ret
%endmacro

; Tasks and threads
SYSCALL_NONE    fork,           0x41
SYSCALL_PACKET  exec,           0x42
SYSCALL_ONE     wait,           0x44
SYSCALL_ONE     yield,          0x45
SYSCALL_ONE     deschedule,     0x46
SYSCALL_ONE     make_runnable,  0x47
SYSCALL_NONE    gettid,         0x48
SYSCALL_NONE    thread_fork,    0x52    ; new thread gets 0, caller its tid; same stack!
SYSCALL_NONE    get_ticks,      0x53
SYSCALL_ONE     sleep,          0x4B
SYSCALL_ONE     misbehave,      0x54
SYSCALL_ONE     task_vanish,    0x57
SYSCALL_ONE     set_status,     0x59
SYSCALL_NONE    vanish,         0x60

; Memory
SYSCALL_PACKET  new_pages,      0x49
SYSCALL_ONE     remove_pages,   0x4A

; Console
SYSCALL_NONE    new_console,    0x58
SYSCALL_NONE    getchar,        0x4C
SYSCALL_PACKET  readline,       0x4D
SYSCALL_PACKET  print,          0x4E
SYSCALL_ONE     set_term_color, 0x4F
SYSCALL_PACKET  set_cursor_pos, 0x50
SYSCALL_PACKET  get_cursor_pos, 0x51

; Files and the machine
SYSCALL_PACKET  readfile,       0x62
SYSCALL_NONE    halt,           0x55

; Exceptions
SYSCALL_PACKET  swexn,          0x74

; This kernel's extensions (vectors 0x80-0x8F, README lists them)
SYSCALL_NONE    free_frames,    0x80
SYSCALL_PACKET  log_print,      0x81

; Tell the linker this code does not need an executable stack.
section .note.GNU-stack noalloc noexec nowrite progbits
