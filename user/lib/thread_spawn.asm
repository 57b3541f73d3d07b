; thread_spawn.asm - start a thread on its own stack (the smallest thread library).
;
; Build: nasm -f elf32 thread_spawn.asm   (part of libpebbles.a; C prototype in thread_spawn.h)
;
;   int thread_spawn(void *stack_top, void (*fn)(void *), void *arg);
;
; thread_fork (INT 0x52, no arguments) makes a new thread whose registers are all equal to
; the caller's, %esp included, except %eax: 0 in the new thread, the new tid in the caller.
; Two threads cannot share one stack, so the new thread must leave the caller's stack before
; it touches it - before any push, call or ret. It therefore finds everything it needs in
; registers, loaded before the fork:
;   ebx = stack_top, esi = fn, edi = arg     (cdecl callee-saved, so we save them first)
; and switches %esp at once. The caller returns the tid, or the negative error, as usual.
;
; The new thread calls fn(arg) and then vanish (INT 0x60). From the end of fn on it touches
; its stack no more (INT from ring 3 switches to the kernel stack), but fn's own `ret` still
; reads it: a stack may be reused once the thread no longer exists (yield(tid) and
; make_runnable(tid) then fail with "no such thread"), not merely when fn says it is done.
;
; Stack inside thread_spawn after the three pushes:
;   [esp]     saved edi         [esp+16]  stack_top
;   [esp+4]   saved esi         [esp+20]  fn
;   [esp+8]   saved ebx         [esp+24]  arg
;   [esp+12]  return address

section .text

global thread_spawn:function
thread_spawn:
    push ebx
    push esi
    push edi
    mov ebx, [esp + 16]     ; ebx = stack_top
    mov esi, [esp + 20]     ; esi = fn
    mov edi, [esp + 24]     ; edi = arg
    int 0x52                ; eax = thread_fork()
    test eax, eax
    jz .child               ; if (eax == 0) we are the new thread
    pop edi                 ; caller: eax = tid (> 0) or error (< 0)
    pop esi
    pop ebx
    ret

.child:
    mov esp, ebx            ; esp = stack_top: off the caller's stack at once
    and esp, -16            ; 16-byte aligned, as gcc expects at a call
    xor ebp, ebp            ; ebp = 0: the end of the frame chain for debuggers
    sub esp, 12             ; keep the alignment after the one argument below
    push edi                ; fn(arg)
    call esi
    int 0x60                ; vanish(): does not return
    ud2                     ; if it did return, fault loudly rather than run on

; Tell the linker this code does not need an executable stack.
section .note.GNU-stack noalloc noexec nowrite progbits
