/* After exec of a crafted ELF, is fresh zero-fill memory still zero? */
#include <stdio.h>
#include <syscall.h>
int main(void)
{
    static char *args[] = { "overlap.elf", 0 };
    int pid = fork(), st;
    if (pid == 0) {
        exec("overlap.elf", args);
        printf("zero_frame_elf: exec failed\n");
        task_vanish(9);
    }
    printf("zero_frame_elf: child %d, wait -> %d\n", pid, wait(&st));
    char *p = (char *)0x30000000;
    printf("zero_frame_elf: new_pages -> %d\n", new_pages(p, PAGE_SIZE));
    int bad = 0;
    for (int i = 0; i < PAGE_SIZE; i++)
        bad += p[i] != 0;
    printf("zero_frame_elf: %d non-zero bytes in fresh memory: \"%s\"\n", bad, p + 2);
    return bad != 0;
}
