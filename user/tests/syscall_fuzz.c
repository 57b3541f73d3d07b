/*
 * syscall_fuzz - random system calls with random arguments, from children the kernel may kill:
 * whatever a program does, the kernel must stay up and give every frame back (init checks).
 *
 * Each child makes CALLS calls, picking the vector from the calls that cannot block forever or
 * replace the program (readline only into memory it cannot write, so it fails at once), and
 * each argument from a mix of good and bad values: small numbers, -1, kernel addresses,
 * unmapped ones, the last word of memory, and pointers into an argument buffer full of such
 * values. A child that scribbles over itself may die (status -2); the kernel may not. One more
 * child makes INT calls to vectors that have no gate.
 */
#include <stdio.h>
#include <stdlib.h>
#include <syscall.h>

#define CHILDREN    8
#define CALLS       5000

static unsigned int packet[16];         /* argument packets: random words */

/* One argument: good, bad or ugly. */
static unsigned int random_arg(void)
{
    static const unsigned int specials[] = {
        0, 1, 4096, 0xFFFFFFFF, 0x80000000, 0x00100000, 0x00010000, 0x00FFFFFC,
        0x01000000, 0xFFFFFFFC, 0xDEAD0000, 0x40000000, 0xFFFFF000, 0x7FFFFFFF,
    };
    switch (rand() % 4) {
    case 0: return specials[rand() % (sizeof specials / sizeof specials[0])];
    case 1: return (unsigned int)&packet[rand() % 16];
    case 2: return (unsigned int)rand() * 2654435761u;
    default: return (unsigned int)(rand() % 200) - 100;
    }
}

static void fill_packet(void)
{
    for (int i = 0; i < 16; i++)
        packet[i] = random_arg();
}

/* INT n needs a constant n: one case per vector. */
#define CALL(n) __asm__ volatile("int $" #n : "=a"(r) : "S"(esi) : "memory"); break
static int raw_call(int which, unsigned int esi)
{
    static const unsigned int unwritable[] = { 0, 0x00010000, 0x00100000, 0x00FFFFFC,
                                               0x01000000 };   /* kernel, program text */
    int r = 0;
    switch (which) {
    case 0: CALL(0x44);         /* wait */
    case 1: CALL(0x45);         /* yield */
    case 2: CALL(0x47);         /* make_runnable */
    case 3: CALL(0x48);         /* gettid */
    case 4: CALL(0x49);         /* new_pages */
    case 5: CALL(0x4A);         /* remove_pages */
    case 6: CALL(0x4F);         /* set_term_color */
    case 7: CALL(0x50);         /* set_cursor_pos */
    case 8: CALL(0x51);         /* get_cursor_pos */
    case 9: CALL(0x53);         /* get_ticks */
    case 10: CALL(0x59);        /* set_status */
    case 11: CALL(0x62);        /* readfile */
    case 12: CALL(0x80);        /* free_frames */
    case 13: CALL(0x58);        /* new_console: a console per child, freed when it exits */
    case 14:                    /* readline into memory it may never write: never blocks */
        packet[1] = unwritable[rand() % (sizeof unwritable / sizeof unwritable[0])];
        __asm__ volatile("int $0x4D" : "=a"(r) : "S"(packet) : "memory");
        break;
    default:                    /* print: a short length, any pointer */
        packet[0] = (unsigned int)(rand() % 40);
        __asm__ volatile("int $0x4E" : "=a"(r) : "S"(packet) : "memory");
    }
    return r;
}

static void fuzz(int seed)
{
    srand(seed);
    for (int i = 0; i < CALLS; i++) {
        int which = rand() % 16;
        fill_packet();
        raw_call(which, which == 15 ? 0 : random_arg());
    }
    set_term_color(FGND_LGRAY);
    set_cursor_pos(24, 0);
    printf("\n");
    exit(0);
}

/* Vectors in 0x40..0x8F with no gate: a user INT there is a protection fault. */
static void bad_vectors(void)
{
    __asm__ volatile("int $0x43");
    printf("syscall_fuzz: FAILED: int 0x43 returned\n");
    exit(1);
}

int main(void)
{
    int killed = 0, done = 0, status, tid;

    for (int c = 0; c < CHILDREN; c++) {
        if ((tid = fork()) == 0)
            fuzz(c + 1);
        if (tid < 0)
            printf("syscall_fuzz: fork failed: %d\n", tid);
    }
    if ((tid = fork()) == 0)
        bad_vectors();
    while ((tid = wait(&status)) > 0) {
        if (status == -2)
            killed++;
        else if (status == 0)
            done++;
        else
            printf("syscall_fuzz: child %d ended with status %d\n", tid, status);
    }
    set_cursor_pos(24, 0);
    printf("syscall_fuzz: %d children finished, %d killed\n", done, killed);
    printf("syscall_fuzz: kernel alive\n");
    return killed >= 1 && done + killed == CHILDREN + 1 ? 0 : 1;
}
