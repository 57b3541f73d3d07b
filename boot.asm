; boot.asm - Pebbles boot sector for a 1.44 MB FAT12 floppy.
;
; The BIOS loads this sector to 0x7C00 and jumps here in 16-bit real mode with DL = boot drive.
; We find KERNEL.BIN in the root directory, load the whole file to physical 0x10000, and
; `jmp 0x1000:0000` with DL = boot drive. entry.asm takes over from there.
;
; Build: nasm -f bin boot.asm -o boot.bin      (exactly 512 bytes, ends 0x55 0xAA)
; Image: mformat -f 1440 -B boot.bin -i IMG ::  (mtools keeps our code but writes its own BPB,
;        so the code below reads every geometry number from the BPB at run time.)
;
; Disk layout (LBA = sector number from 0; all sizes come from the BPB, 1.44 MB values shown):
;
;   LBA 0                   boot sector (this file)              reserved = 1 sector
;   LBA reserved            FAT #1, then FAT #2                  fats = 2 x fat_size = 9 sectors
;   root_lba = reserved + fats * fat_size (19)
;                           root directory, 32 bytes an entry    root_entries = 224 -> 14 sectors
;   data_lba = root_lba + root_entries / 16 (33)
;                           data area: cluster N (N >= 2) is at  data_lba + (N - 2) * spc
;                           (spc = sectors per cluster = 1)
;
; FAT12: entry N is 12 bits at byte offset N * 3 / 2 of the FAT: the low 12 bits of that
; 16-bit word when N is even, the high 12 bits when N is odd. 0xFF8..0xFFF ends a chain,
; 0xFF7 marks a bad cluster, a valid next cluster lies in 2 .. cluster_count + 1.
; CHS from LBA: sector = LBA % spt + 1, head = (LBA / spt) % heads, cylinder = LBA / spt / heads.
;
; Memory map of the boot phase (physical addresses; DS = SS = 0 throughout):
;
;   0x00000 - 0x004FF   real-mode interrupt table and BIOS data area (left alone)
;   0x00500 - 0x005EF   free
;   0x005F0 - 0x005F3   the time-stamp counter when this sector started (kernel.c reads it)
;   0x00600 - 0x01DFF   FAT #1 (a FAT12 FAT is at most 12 sectors)
;   0x01E00 - 0x07BFB   stack, growing down from 0x7BFC
;   0x07BFC - 0x07BFF   our two variables: cluster_count, data_lba
;   0x07C00 - 0x07DFF   this boot sector
;   0x07E00 - 0x0FFFF   root directory (224 entries = 7 KiB here; it must end below 64 KiB)
;   0x10000 - 0x9EFFF   KERNEL.BIN, loaded from its first byte up (at most 572 KiB)
;   0x9F000 -           extended BIOS data area, video memory, ROMs: never written
;
; The kernel uses what this sector read: the FAT, this sector and the root directory stay where
; they are for it (kernel.c, boot_sectors_keep), and it notes the time-stamp counter.
;
; Disk reads: one INT 13h AH=02 call per chunk; a chunk is a run of consecutive clusters cut at
; each track end (BIOSes need not read across tracks) and at each 64 KiB physical boundary
; (floppy DMA cannot cross one). A failed read is retried after a drive reset (AH=00).
;
; Every read is also checked against LIMIT_SEG, which refuses a kernel too big for low memory
; (and ends a cluster chain that loops back on itself: it too would grow past the limit).
;
; Assumptions: 512-byte sectors, FAT12, total sectors in the 16-bit BPB field, no hidden sectors
; (true for floppies), an 80386 or later (push imm, shift by imm, movzx).
;
; State at the jump to the kernel: CS:IP = 0x1000:0000, DL = boot drive, DI = KEPT_MAGIC
; (the FAT, the root directory and this sector are where the memory map below says), DS = 0,
; SS:SP = 0:0x7BFC, BP = 0x7C00, ES = first paragraph after the file, interrupts on, DF = 0,
; the floppy motor possibly still running (the BIOS timer stops it if IRQ 0 stays enabled).

        bits 16
        cpu 386
        org 0x7C00

; bp = 0x7C00 throughout, and [F(bpb_spt)] means [bp + 0x18], the field's offset in this
; sector: a 1-byte displacement instead of a 2-byte address saves ~20 bytes we need.
%define F(x) bp + (x) - $$
data_lba      equ $$ - 2              ; uint16_t at 0x7BFE: LBA of cluster 2
cluster_count equ $$ - 4              ; uint16_t at 0x7BFC: number of clusters in the data area
FAT_SEG       equ 0x0060              ; FAT #1 at 0x0600
ROOT_SEG      equ 0x07E0              ; root directory at 0x7E00
LOAD_SEG      equ 0x1000              ; kernel at 0x10000
LIMIT_SEG     equ 0x9F00              ; the kernel must end at or below 0x9F000
RETRIES       equ 5                   ; tries per read before "Disk error"
BOOT_TSC      equ 0x05F0              ; the time-stamp counter's low half at our start
KEPT_MAGIC    equ 0x4B46              ; 'FK' (FAT kept): must match BOOT_KEPT_MAGIC in kernel.c

; ---- BIOS parameter block: mformat overwrites these values; the code reads them ----------
        jmp short start
        nop
bpb_oem          db "PEBBLES "
bpb_sector_bytes dw 512               ; assumed to be 512 by the code
bpb_spc          db 1                 ; sectors per cluster
bpb_reserved     dw 1                 ; sectors before FAT #1 (incl. this one)
bpb_fats         db 2                 ; number of FAT copies
bpb_root_entries dw 224               ; 32-byte entries in the root directory
bpb_total        dw 2880              ; sectors on the disk
bpb_media        db 0xF0
bpb_fat_size     dw 9                 ; sectors per FAT
bpb_spt          dw 18                ; sectors per track
bpb_heads        dw 2
bpb_hidden       dd 0
bpb_total32      dd 0
bpb_drive        db 0                 ; we store the BIOS boot drive (DL) here at run time
                 db 0
bpb_signature    db 0x29              ; "extended BPB present"
bpb_serial       dd 0
bpb_label        db "PEBBLES    "
bpb_fs_type      db "FAT12   "

; ---- start: segments, stack, geometry ----------------------------------------------------
start:
        xor ax, ax
        mov ds, ax                    ; DS = 0: our labels are physical addresses (org 0x7C00)
        mov ss, ax                    ; (the CPU holds off interrupts until after the next
        mov sp, 0x7BFC                ; instruction, so SS:SP is never seen half set)
        mov bp, 0x7C00                ; bp = this sector: base of the BPB and our variables
        cld                           ; string instructions count upward
        mov [F(bpb_drive)], dl        ; boot_drive = DL
        cpu 586
        rdtsc                         ; (a Pentium instruction: cpu 586 for this one)
        cpu 386
        mov [BOOT_TSC], eax           ; when the boot sector started (the kernel reports it)
        mov si, msg_loading
        call print

        mov al, [F(bpb_fats)]
        cbw                           ; ax = fats
        mul word [F(bpb_fat_size)]    ; ax = fats * fat_size
        add ax, [F(bpb_reserved)]     ; ax = root_lba
        mov di, [F(bpb_root_entries)]
        add di, 15                    ; (16 entries of 32 bytes fill a 512-byte sector)
        shr di, 4                     ; di = root_sectors = (root_entries + 15) / 16
        mov bx, ax
        add bx, di
        mov [F(data_lba)], bx         ; data_lba = root_lba + root_sectors
        push ax                       ; save root_lba
        mov ax, [F(bpb_total)]
        sub ax, bx                    ; ax = sectors in the data area
        xor dx, dx
        movzx cx, byte [F(bpb_spc)]   ; cx = spc
        div cx
        mov [F(cluster_count)], ax    ; cluster_count = data sectors / spc
        pop ax                        ; ax = root_lba, di = root_sectors

; ---- find KERNEL.BIN in the root directory -----------------------------------------------
        push ROOT_SEG
        pop es
        call read_sectors             ; read_sectors(root_lba, root_sectors, 0x7E00)
        push ROOT_SEG
        pop es                        ; es:di = first directory entry (ES moved while reading)
        xor di, di
        mov dx, [F(bpb_root_entries)] ; dx = entries left to look at
scan:
        cmp byte [es:di], 0           ; name[0] == 0: end of the directory
        je no_kernel
        test byte [es:di + 11], 0x18  ; attr & (DIRECTORY | VOLUME_LABEL): skip directories,
        jnz .next                     ; labels and long-name pieces (attr 0x0F has bit 0x08)
        mov si, kernel_name
        mov cx, 11
        push di                       ; (cmpsb advances di)
        repe cmpsb                    ; memcmp(entry->name, "KERNEL  BIN", 11); a deleted
        pop di                        ; entry starts with 0xE5, so it never matches
        je found
.next:
        add di, 32                    ; entry++
        dec dx
        jnz scan
no_kernel:
        mov si, msg_no_kernel
        jmp short fail

found:
        push word [es:di + 26]        ; cluster = entry->first_cluster
        mov ax, [F(bpb_reserved)]     ; ax = LBA of FAT #1
        mov di, [F(bpb_fat_size)]     ; di = its sectors
        push FAT_SEG
        pop es
        call read_sectors             ; read_sectors(reserved, fat_size, 0x0600): FAT #1

; ---- follow the cluster chain, reading runs of consecutive clusters -----------------------
; Invariant at `chain`: clusters si .. si+cx-1 are the pending run, not yet read; ax = the
; file's next cluster. A run is read once the chain leaves it, so a contiguous file becomes
; a few large reads and a fragmented one is still loaded in file order.
        push LOAD_SEG
        pop es                        ; es = where the next byte of the file goes
        pop ax                        ; ax = first cluster
        mov si, ax
        xor cx, cx                    ; empty run "starting" at ax: the first cluster joins it
        jmp short check               ; the first cluster must be a real one, not an end mark
chain:
        cmp ax, 0xFF8
        jae loaded                    ; if (cluster >= 0xFF8) end of file
check:
        mov bx, ax
        dec bx
        dec bx                        ; bx = cluster - 2
        cmp bx, [F(cluster_count)]    ; (unsigned)(cluster - 2) >= cluster_count: bad cluster
        jae bad_chain                 ; (0, 1, 0xFF7 and anything past the disk end)
        mov bx, si
        add bx, cx                    ; bx = first cluster after the run
        cmp ax, bx
        je .extend                    ; if (cluster == si + cx) the run goes on
        call read_run                 ; else read the pending run, start a new one here
        mov si, ax                    ; si = cluster
        xor cx, cx                    ; cx = 0
.extend:
        inc cx                        ; the run now ends with this cluster
        mov bx, ax
        shr bx, 1
        add bx, ax                    ; bx = cluster * 3 / 2
        mov bx, [bx + FAT_SEG * 16]   ; bx = 16 bits of the FAT that hold the entry
        test al, 1                    ; odd cluster number?
        xchg ax, bx                   ; ax = that word (xchg keeps the flags of the test)
        jz .even
        shr ax, 4                     ; odd cluster: entry = word >> 4
.even:
        and ah, 0x0F                  ; even cluster: entry = word & 0xFFF
        jmp short chain               ; cluster = fat[cluster]
loaded:
        call read_run                 ; read the last run
        mov dl, [F(bpb_drive)]        ; DL = boot drive for entry.asm
        mov di, KEPT_MAGIC            ; DI: "the FAT, root and this sector are still in memory"
        jmp LOAD_SEG:0                ; enter the kernel at 0x1000:0000

; ---- errors: print why, then stop for good -----------------------------------------------
bad_chain:
        mov si, msg_bad_chain
        jmp short fail
too_big:
        mov si, msg_too_big
        jmp short fail
disk_error:
        mov si, msg_disk_error
fail:
        call print
.halt:
        cli
        hlt                           ; for (;;) halt; (an NMI would wake us: halt again)
        jmp short .halt

; print: write the 0-terminated string at ds:si with BIOS teletype output. Clobbers ax, bx, si.
print:
        lodsb                         ; al = *si++
        test al, al
        jz .done                      ; if (al == 0) return
        mov ah, 0x0E                  ; INT 10h AH=0Eh: teletype output of AL
        mov bx, 7                     ; page 0, grey
        int 0x10
        jmp short print
.done:
        ret

; read_run: read the cx clusters starting at cluster si to es:0 and move es past them.
; Keeps ax; clobbers bx, cx, dx, si, di.
read_run:
        push ax
        movzx bx, byte [F(bpb_spc)]   ; bx = spc
        mov ax, cx
        mul bx
        xchg di, ax                   ; di = cx * spc sectors
        lea ax, [si - 2]
        mul bx                        ; ax = (si - 2) * spc
        add ax, [F(data_lba)]         ; ax = data_lba + (si - 2) * spc
        call read_sectors
        pop ax
        ret

; read_sectors: read di sectors from LBA ax to es:0 and leave es just past them (es is a
; paragraph number, so es += 0x20 per sector). di >= 1. Clobbers ax, bx, cx, dx, si, di.
; Each loop reads one chunk of si sectors: as many as remain, but never past the end of the
; track, a 64 KiB boundary, or LIMIT_SEG.
read_sectors:
        push ax                       ; save lba
        xor dx, dx
        div word [F(bpb_spt)]         ; ax = track = lba / spt, dx = lba % spt
        mov si, [F(bpb_spt)]
        sub si, dx                    ; si = sectors left on this track
        cmp si, di
        jbe .track_ok
        mov si, di                    ; si = min(si, sectors wanted)
.track_ok:
        mov bx, es
        not bx
        and bh, 0x0F                  ; bx = ~es & 0xFFF = 0xFFF - (es & 0xFFF)
        inc bx                        ; bx = 0x1000 - (es & 0xFFF): paragraphs to 64 KiB
        shr bx, 5                     ; bx = sectors to the next 64 KiB boundary
        cmp si, bx
        jbe .dma_ok
        mov si, bx                    ; si = min(si, bx)
.dma_ok:
        mov bx, si
        shl bx, 5                     ; bx = si * 0x20 paragraphs (512 bytes a sector)
        mov cx, es
        add bx, cx                    ; bx = es + si * 0x20: segment after this chunk
        cmp bx, LIMIT_SEG
        ja too_big                    ; the kernel would reach 0x9F000: refuse it
        push bx                       ; (es for the next chunk)
        mov cx, dx
        inc cx                        ; cl = sector = lba % spt + 1 (ch = 0)
        xor dx, dx
        div word [F(bpb_heads)]       ; ax = cylinder = track / heads, dx = head
        mov ch, al                    ; ch = cylinder bits 0-7
        shl ah, 6
        or cl, ah                     ; cl bits 6-7 = cylinder bits 8-9
        mov dh, dl                    ; dh = head
        mov dl, [F(bpb_drive)]        ; dl = drive
        push di                       ; save the sectors wanted
        mov di, RETRIES               ; di = tries left
.retry:
        mov ax, si                    ; al = si sectors (at most spt, < 256)
        mov ah, 0x02                  ; INT 13h AH=02h: read al sectors to es:bx
        xor bx, bx                    ; es:bx = es:0
        int 0x13
        jnc .read_ok                  ; CF set = error
        xor ax, ax                    ; INT 13h AH=00h: reset the drive, then try again
        int 0x13
        dec di
        jnz .retry                    ; while (--tries)
        jmp disk_error
.read_ok:
        pop di                        ; di = sectors wanted
        pop es                        ; es += si * 0x20
        pop ax                        ; ax = lba
        add ax, si                    ; lba += si
        sub di, si                    ; di -= si
        jnz read_sectors              ; while (di != 0)
        ret

kernel_name     db "KERNEL  BIN"      ; the 8.3 directory name of KERNEL.BIN
msg_loading     db "Loading", 13, 10, 0
msg_no_kernel   db "No KERNEL.BIN", 0
msg_bad_chain   db "Bad chain", 0
msg_too_big     db "Too big", 0
msg_disk_error  db "Disk error", 0

        times 510 - ($ - $$) db 0     ; pad; fails to assemble if the code grew too big
        dw 0xAA55                     ; boot signature: bytes 0x55, 0xAA
