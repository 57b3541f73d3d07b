/*
 * readline_basic - asks for a line in the words of the classic 15-410 test, reads it with
 * readline and prints it back.
 */
#include <stdio.h>
#include <syscall.h>

int main(void)
{
    char buf[128];
    int n;

    printf("Enter something good, then press Return:\n");
    n = readline(sizeof buf - 1, buf);
    if (n < 0) {
        printf("readline_basic: readline failed: %d\n", n);
        return 1;
    }
    buf[n] = '\0';
    printf("You typed %d characters: %s", n, buf);
    return 0;
}
