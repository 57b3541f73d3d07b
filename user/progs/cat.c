/*
 * cat FILE... - prints each file. A file that cannot be read is reported as
 * "cat: NAME: error N" (N is readfile's error); the others are still
 * printed, and the exit status is then 1.
 */
#include <stdio.h>
#include <string.h>
#include <syscall.h>

#define CHUNK 4096

static char buf[CHUNK];

/* Returns 0, or readfile's (negative) error. */
static int cat_file(char *name)
{
    int offset = 0;
    int n;

    while ((n = readfile(name, buf, CHUNK, offset)) > 0) {
        print(n, buf);
        offset += n;
    }
    return n;
}

int main(int argc, char *argv[])
{
    int status = 0;
    int i, err;

    if (argc < 2) {
        printf("usage: cat FILE...\n");
        return 1;
    }
    for (i = 1; i < argc; i++) {
        err = cat_file(argv[i]);
        if (err < 0) {
            printf("cat: %s: %s (%d)\n", argv[i], strerror(err), err);
            status = 1;
        }
    }
    return status;
}
