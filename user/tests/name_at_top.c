/* copy_string_from_user: a name with no NUL that runs to the end of the address space. */
#include <stdio.h>
#include <syscall.h>
static int main2(char **argv);
int main(int argc, char **argv)
{ (void)argc; return main2(argv); }
static int main2(char **argv)
{
    char *top = (char *)0xFFFFF000;
    int r = new_pages(top, PAGE_SIZE);
    printf("name_at_top: new_pages top -> %d\n", r);
    if (r < 0)
        return 1;
    for (int i = 0; i < PAGE_SIZE; i++)
        top[i] = 'A';
    char buf[16];
    r = readfile(top + PAGE_SIZE - 8, buf, sizeof buf, 0);  /* 8 bytes, no NUL, then 4 GiB */
    printf("name_at_top: readfile -> %d\n", r);
    r = exec(top + PAGE_SIZE - 8, argv);
    printf("name_at_top: exec -> %d\n", r);
    printf("name_at_top: survived\n");
    return 0;
}
