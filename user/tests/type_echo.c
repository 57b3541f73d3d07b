/*
 * type_echo - echoes what is typed, for the tests of the typing harness and the keyboard.
 *
 *   type_echo keys N    N times getchar(); prints "type_echo: key CODE" (decimal) for each
 *   type_echo lines N   N times readline() after a "> " prompt; prints "type_echo: [TEXT]"
 *                       with the line's newline shown as \n
 *
 * Starts with "type_echo: ready" (the case types after it) and ends with "type_echo: ok".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>

/* echo_keys: read N characters, printing each one's code. */
static int echo_keys(int n)
{
    for (int i = 0; i < n; i++) {
        int c = getchar();
        if (c < 0) {
            printf("type_echo: getchar returned %d\n", c);
            return 1;
        }
        printf("type_echo: key %d\n", c);
    }
    return 0;
}

/* echo_lines: read N lines after a prompt, printing each with its newline made visible. */
static int echo_lines(int n)
{
    char line[128], shown[256];

    for (int i = 0; i < n; i++) {
        print(2, "> ");
        int len = readline(sizeof line - 1, line);
        if (len < 0) {
            printf("type_echo: readline returned %d\n", len);
            return 1;
        }
        int k = 0;
        for (int j = 0; j < len; j++) {
            if (line[j] == '\n') {
                shown[k++] = '\\';
                shown[k++] = 'n';
            } else {
                shown[k++] = line[j];
            }
        }
        shown[k] = '\0';
        printf("type_echo: [%s]\n", shown);
    }
    return 0;
}

int main(int argc, char **argv)
{
    int n = argc > 2 ? atoi(argv[2]) : 1;
    int failed;

    printf("type_echo: ready\n");
    if (argc > 1 && strcmp(argv[1], "lines") == 0)
        failed = echo_lines(n);
    else
        failed = echo_keys(n);
    if (failed)
        return 1;
    printf("type_echo: ok\n");
    return 0;
}
