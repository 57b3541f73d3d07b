/*
 * hello - the first program: one line of output, exit status 0.
 */
#include <stdio.h>

int main(void)
{
    printf("Hello from user space!\n");
    return 0;
}
