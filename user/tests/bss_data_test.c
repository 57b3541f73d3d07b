/*
 * bss_data_test - the program image is loaded right:
 *   .data    initialised words, 40 KB over several pages, each holding its
 *            own index, so a page loaded from the wrong file offset shows;
 *   .rodata  the same for 80 KB of read-only data;
 *   .text    100 000 bytes of code (nops) that must all be there to run;
 *   .bss     zero, including the part of the last .data page past the
 *            file's data, and writable, like .data.
 */
#include <stdio.h>
#include <stdint.h>
#include "testlib.h"

#define DATA_WORDS      10000
#define RODATA_WORDS    20000
#define DATA_BIAS       0x1000000       /* .data words are index + this */
#define TEXT_NOPS       100000
#define BSS_SIZE        (100 * 1024)

/*
 * Tables whose words hold their index, made by the assembler because C
 * cannot write 10 000 different initialisers briefly; and a function made of
 * TEXT_NOPS nops then "return 42".
 */
__asm__(
    ".pushsection .data\n"
    ".globl data_table\n"
    ".balign 4\n"
    "data_table:\n"
    "    .set i, 0\n"
    "    .rept 10000\n"             /* DATA_WORDS */
    "    .long i + 0x1000000\n"     /* DATA_BIAS */
    "    .set i, i + 1\n"
    "    .endr\n"
    ".popsection\n"

    ".pushsection .rodata\n"
    ".globl rodata_table\n"
    ".balign 4\n"
    "rodata_table:\n"
    "    .set i, 0\n"
    "    .rept 20000\n"             /* RODATA_WORDS */
    "    .long i\n"
    "    .set i, i + 1\n"
    "    .endr\n"
    ".popsection\n"

    ".pushsection .text\n"
    ".globl big_text_function\n"
    ".type big_text_function, @function\n"
    "big_text_function:\n"
    "    .fill 100000, 1, 0x90\n"   /* TEXT_NOPS times "nop" */
    "    movl $42, %eax\n"          /* return 42 */
    "    ret\n"
    ".popsection\n");

extern unsigned int data_table[DATA_WORDS];
extern const unsigned int rodata_table[RODATA_WORDS];
int big_text_function(void);

static int small_data = 12345;
static char greeting[] = "initialised data";
static int bss_word;
static char bss_array[BSS_SIZE];

/* Index of the first word of table that is not index + bias, or count. */
static int first_wrong(const unsigned int *table, int count, unsigned int bias)
{
    int i;

    for (i = 0; i < count; i++) {
        if (table[i] != (unsigned int)i + bias)
            break;
    }
    return i;
}

static int all_zero(const char *p, int len)
{
    int i;

    for (i = 0; i < len; i++) {
        if (p[i] != 0)
            return 0;
    }
    return 1;
}

static void check_data(void)
{
    CHECK_INT(small_data, 12345);
    CHECK_STR(greeting, "initialised data");
    CHECK_INT(first_wrong(data_table, DATA_WORDS, DATA_BIAS), DATA_WORDS);
    small_data = -1;
    greeting[0] = 'I';
    data_table[DATA_WORDS - 1] = 7;
    CHECK_INT(small_data, -1);
    CHECK_STR(greeting, "Initialised data");
    CHECK_INT((int)data_table[DATA_WORDS - 1], 7);
}

static void check_rodata_and_text(void)
{
    const unsigned char *code = (const unsigned char *)(uintptr_t)big_text_function;

    CHECK_INT(first_wrong(rodata_table, RODATA_WORDS, 0), RODATA_WORDS);
    CHECK(code[0] == 0x90 && code[TEXT_NOPS - 1] == 0x90);      /* text is readable */
    CHECK_INT(big_text_function(), 42);
}

static void check_bss(void)
{
    CHECK_INT(bss_word, 0);
    CHECK(all_zero(bss_array, BSS_SIZE));
    bss_word = 99;
    bss_array[0] = 1;
    bss_array[BSS_SIZE - 1] = 2;
    CHECK_INT(bss_word, 99);
    CHECK(bss_array[0] == 1 && bss_array[BSS_SIZE - 1] == 2);
}

int main(void)
{
    test_start("bss_data_test");
    check_data();
    check_rodata_and_text();
    check_bss();
    return test_finish();
}
