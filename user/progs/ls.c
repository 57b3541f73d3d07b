/*
 * ls - lists the files on the disk, one name per line.
 *
 * The file "." holds every name followed by a NUL, and one more NUL after
 * the last. It is read in chunks, so a name may be split between two; the
 * name is collected in a buffer until its NUL arrives.
 */
#include <stdio.h>
#include <string.h>
#include <syscall.h>

#define CHUNK 512
#define NAME_MAX 256

static char name[NAME_MAX + 1];
static int name_len;

/* Takes one byte of the listing; returns 1 once the final NUL is seen. */
static int take(char c)
{
    if (c != '\0') {
        if (name_len < NAME_MAX)        /* longer names are cut, not lost */
            name[name_len++] = c;
        return 0;
    }
    if (name_len == 0)                  /* an empty name: the end marker */
        return 1;
    name[name_len] = '\0';
    printf("%s\n", name);
    name_len = 0;
    return 0;
}

int main(void)
{
    char buf[CHUNK];
    int offset = 0;
    int n, i;

    while ((n = readfile(".", buf, CHUNK, offset)) > 0) {
        for (i = 0; i < n; i++) {
            if (take(buf[i]))
                return 0;
        }
        offset += n;
    }
    if (n < 0) {
        printf("ls: cannot read the file list: %s (%d)\n", strerror(n), n);
        return 1;
    }
    return 0;
}
