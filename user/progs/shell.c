/*
 * shell - the Pebbles command line.
 *
 *   $ PROG ARGS...        runs the program PROG (a file on the disk) and waits for it
 *   $ PROG ARGS... &      runs it in the background and prints its tid
 *   [1] $                 the prompt shows the last status when it is not 0
 *
 * Built-ins: help, exit [STATUS], status, history, wait (see `help`). Words are separated by
 * spaces; there is no quoting, no redirection and no pipes.
 *
 * A program that ends with a status other than 0 is reported, and one the kernel killed
 * (status -2) is called killed. A background job is reported as "[tid] done, status N" when
 * the shell collects it: there is no wait that does not block, so that happens while the shell
 * waits for a foreground program, or at the `wait` built-in.
 *
 * The line is edited here, not in the kernel: getchar() gives each key without echo and the
 * shell prints what it accepts. Keys: printable characters, Backspace, Enter; Up and Down walk
 * the history (the last HISTORY_MAX lines); Tab completes the word being typed (the first word
 * from the built-ins and the programs on the disk, later words from every file name): a unique
 * match is completed, several are completed as far as they agree, and a second Tab lists them.
 * Ctrl+C drops the line, Ctrl+U erases it, Ctrl+D on an empty line leaves the shell. The cursor
 * stays at the end of the line (Left and Right do nothing).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>

#define LINE_MAX        256             /* characters in a command line */
#define ARGS_MAX        32              /* words in a command */
#define HISTORY_MAX     32              /* lines the history keeps */
#define LISTING_MAX     (32 * 1024)     /* README "Limits": the "." listing */
#define NAMES_MAX       1024            /* files the shell keeps track of */
#define SCREEN_COLS     80
#define LINE_EOF        (-1000)         /* read_line: Ctrl+D on an empty line */

#define NO_SUCH_FILE    (-4)            /* readfile's error E_NOENT (README "System calls") */
#define STATUS_KILLED   (-2)            /* the kernel killed the task (doc/syscalls.md 4) */
#define STATUS_NO_PROG  127             /* the command names no file (as in Unix shells) */
#define STATUS_NOT_PROG 126             /* the file is not a program */

static int last_status;                 /* of the last foreground command */

/*==== Names on the disk ====*/

/*
 * The "." file lists every file, each name followed by a NUL, with one more NUL at the end.
 * The disk is read-only, so the list is read once. A program is a file that starts with the
 * ELF magic number.
 */
static char listing[LISTING_MAX + 1];
static char *disk_names[NAMES_MAX];
static char disk_is_program[NAMES_MAX];
static int disk_count;

/* Whether the file `name` begins like an executable: 1 yes, 0 no, or readfile's error. */
static int file_is_program(char *name)
{
    char magic[4];
    int n = readfile(name, magic, sizeof magic, 0);

    if (n < 0)
        return n;
    return n == 4 && memcmp(magic, "\177ELF", 4) == 0;
}

/* Reads the whole "." listing into `listing`; returns its length or readfile's error. */
static int read_listing(void)
{
    int got = 0, n;

    while (got < LISTING_MAX && (n = readfile(".", listing + got, LISTING_MAX - got, got)) > 0)
        got += n;
    if (got == 0 && n < 0)
        return n;
    listing[got] = '\0';
    return got;
}

/* Fills disk_names; on failure help and Tab simply know no files. */
static void load_disk_names(void)
{
    char *p = listing;
    int len = read_listing();

    if (len < 0) {
        printf("shell: cannot list the disk: %s (%d)\n", strerror(len), len);
        return;
    }
    while (p < listing + len && *p != '\0' && disk_count < NAMES_MAX) {
        disk_names[disk_count++] = p;
        p += strlen(p) + 1;
    }
}

/*
 * Fills disk_is_program, the first time it is needed. Not at start-up: it reads the start of
 * every file, which on a real floppy means most of its cylinders (seconds of waiting).
 */
static void find_programs(void)
{
    static int done;
    int i;

    for (i = 0; i < disk_count && !done; i++)
        disk_is_program[i] = file_is_program(disk_names[i]) == 1;
    done = 1;
}

/*==== Output ====*/

static void put(const char *s)
{
    print((int)strlen(s), (char *)s);
}

static void print_prompt(void)
{
    if (last_status != 0)
        printf("[%d] $ ", last_status);
    else
        put("$ ");
}

/*
 * Names in columns, as ls lays them out: down the first column, then the next; as many
 * columns as fit the screen, each as wide as its longest name plus a gap.
 */
#define COLUMNS_MAX     (SCREEN_COLS / 3)   /* names of one character and a gap of two */
#define COLUMN_GAP      2

static int column_width[COLUMNS_MAX];

/* Fills column_width for a table of `rows` rows; returns the width of the whole table. */
static int measure_columns(char **names, int n, int rows)
{
    int total = 0, i, c;

    for (c = 0; c * rows < n; c++) {
        column_width[c] = 0;
        for (i = c * rows; i < n && i < (c + 1) * rows; i++)
            if ((int)strlen(names[i]) > column_width[c])
                column_width[c] = (int)strlen(names[i]);
        total += column_width[c] + COLUMN_GAP;
    }
    return total - COLUMN_GAP;
}

static void print_columns(char **names, int n)
{
    static char line[SCREEN_COLS + 1];
    int rows, r, c, used;

    for (rows = (n + COLUMNS_MAX - 1) / COLUMNS_MAX; rows < n; rows++)
        if (measure_columns(names, n, rows) < SCREEN_COLS)
            break;
    measure_columns(names, n, rows);    /* a name wider than the screen: one column */
    for (r = 0; r < rows; r++) {
        used = 0;
        for (c = 0; c * rows + r < n && used < SCREEN_COLS; c++) {
            int last = (c + 1) * rows + r >= n;     /* no padding after the row's last name */

            used += snprintf(line + used, sizeof line - used, "%-*s",
                             last ? 0 : column_width[c] + COLUMN_GAP, names[c * rows + r]);
        }
        printf("%.*s\n", used < SCREEN_COLS ? used : SCREEN_COLS, line);
    }
}

/*
 * Takes the last n characters of the line off the screen; the cursor ends where the first of
 * them was. Within one row "\b \b" does it (which a terminal on COM1 understands too); a line
 * that wrapped needs the cursor moved by hand, because '\b' stops at column 0.
 */
static void erase_chars(int n)
{
    static char blank[3 * LINE_MAX];
    int row, col, end, start, i;

    if (n <= 0)
        return;
    if (get_cursor_pos(&row, &col) < 0 || col >= n) {
        for (i = 0; i < n; i++)
            memcpy(blank + 3 * i, "\b \b", 3);
        print(3 * n, blank);
        return;
    }
    end = row * SCREEN_COLS + col;
    start = end - n > 0 ? end - n : 0;  /* the start may have scrolled off the top */
    memset(blank, ' ', end - start);
    set_cursor_pos(start / SCREEN_COLS, start % SCREEN_COLS);
    print(end - start, blank);          /* ends where the cursor was: never scrolls */
    set_cursor_pos(start / SCREEN_COLS, start % SCREEN_COLS);
}

/*==== History ====*/

static char history[HISTORY_MAX][LINE_MAX + 1];
static int history_added;               /* lines ever added; the newest is history_line(1) */

/* The `back`-th newest line (1 = the newest), or NULL when there is none that old. */
static const char *history_line(int back)
{
    int kept = history_added < HISTORY_MAX ? history_added : HISTORY_MAX;

    if (back < 1 || back > kept)
        return NULL;
    return history[(history_added - back) % HISTORY_MAX];
}

/* Remembers a line, unless it is blank or repeats the newest one. */
static void history_add(const char *line)
{
    const char *newest = history_line(1);
    const char *p = line;

    while (*p == ' ')
        p++;
    if (*p == '\0' || (newest && !strcmp(newest, line)))
        return;
    strcpy(history[history_added % HISTORY_MAX], line);
    history_added++;
}

/*==== Running programs ====*/

/* Says how a background job ended (the shell has no other children). */
static void report_background(int tid, int status)
{
    if (status == STATUS_KILLED)
        printf("[%d] killed, status %d\n", tid, status);
    else
        printf("[%d] done, status %d\n", tid, status);
}

/* Waits for the foreground job, reporting the background jobs collected meanwhile. */
static int wait_for_foreground(int tid)
{
    int status, done;

    while ((done = wait(&status)) >= 0) {
        if (done == tid)
            return status;
        report_background(done, status);
    }
    printf("shell: wait failed: %s (%d)\n", strerror(done), done);
    return done;
}

/* Checks that argv[0] is a program before forking; returns 0 or the status to report. */
static int check_program(char *name)
{
    int r = file_is_program(name);

    if (r == 1)
        return 0;
    if (r == 0) {
        printf("%s: not a program\n", name);
        return STATUS_NOT_PROG;
    }
    if (r == NO_SUCH_FILE)
        printf("%s: no such program\n", name);
    else
        printf("%s: cannot read it: %s (%d)\n", name, strerror(r), r);
    return STATUS_NO_PROG;
}

/* Runs the program in a child task: in the foreground (waits) or in the background. */
static void run_program(char **argv, int background)
{
    int tid, status, err;

    if ((status = check_program(argv[0])) != 0) {
        last_status = status;
        return;
    }
    tid = fork();
    if (tid == 0) {
        err = exec(argv[0], argv);
        printf("shell: cannot run %s: %s (%d)\n", argv[0], strerror(err), err);
        exit(STATUS_NO_PROG);
    }
    if (tid < 0) {
        printf("shell: cannot start %s: %s (%d)\n", argv[0], strerror(tid), tid);
        last_status = STATUS_NO_PROG;
        return;
    }
    if (background) {
        printf("[%d]\n", tid);
        return;
    }
    status = last_status = wait_for_foreground(tid);
    if (status == STATUS_KILLED)
        printf("%s: killed (status %d)\n", argv[0], status);
    else if (status != 0)
        printf("%s: exit status %d\n", argv[0], status);
}

/*==== Built-in commands ====*/

struct builtin {
    const char *name;
    const char *usage;
    void (*run)(int argc, char **argv);
};
static void builtin_help(int argc, char **argv);
static void builtin_exit(int argc, char **argv);
static void builtin_status(int argc, char **argv);
static void builtin_history(int argc, char **argv);
static void builtin_wait(int argc, char **argv);

static const struct builtin builtins[] = {
    { "help", "help              this list", builtin_help },
    { "exit", "exit [STATUS]     leave the shell (status 0 by default)", builtin_exit },
    { "status", "status            the last command's status", builtin_status },
    { "history", "history           the lines typed lately (Up and Down recall them)",
      builtin_history },
    { "wait", "wait              wait for every background job", builtin_wait },
};
#define BUILTIN_COUNT   ((int)(sizeof builtins / sizeof builtins[0]))

static void builtin_help(int argc, char **argv)
{
    static char *programs[NAMES_MAX];
    int i, n = 0;

    (void)argc;
    (void)argv;
    printf("Built-in commands:\n");
    for (i = 0; i < BUILTIN_COUNT; i++)
        printf("  %s\n", builtins[i].usage);
    printf("Programs on the disk (add & to run one in the background):\n");
    find_programs();
    for (i = 0; i < disk_count; i++)
        if (disk_is_program[i])
            programs[n++] = disk_names[i];
    print_columns(programs, n);
}

static void builtin_exit(int argc, char **argv)
{
    exit(argc > 1 ? atoi(argv[1]) : 0);
}

static void builtin_status(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("%d\n", last_status);
}

static void builtin_history(int argc, char **argv)
{
    int back;

    (void)argc;
    (void)argv;
    for (back = HISTORY_MAX; back >= 1; back--)
        if (history_line(back))
            printf("%4d  %s\n", history_added - back + 1, history_line(back));
}

/* Collects every background job; wait() says E_CHILD once none is left. */
static void builtin_wait(int argc, char **argv)
{
    int tid, status;

    (void)argc;
    (void)argv;
    while ((tid = wait(&status)) >= 0)
        report_background(tid, status);
}

/* Runs the built-in argv[0]; returns 0 if there is none of that name. */
static int run_builtin(int argc, char **argv)
{
    int i;

    for (i = 0; i < BUILTIN_COUNT; i++) {
        if (!strcmp(argv[0], builtins[i].name)) {
            builtins[i].run(argc, argv);
            return 1;
        }
    }
    return 0;
}

/*==== Line editing ====*/

struct editor {
    char text[LINE_MAX + 1];            /* the line as shown after the prompt */
    int len;
    int history_pos;                    /* 0: the new line; k: history_line(k) is shown */
    char draft[LINE_MAX + 1];           /* the new line, kept while the history is shown */
    int tabs;                           /* Tabs pressed in a row */
};

/* Replaces the line on the screen and in the editor by s. */
static void editor_show(struct editor *e, const char *s)
{
    erase_chars(e->len);
    strcpy(e->text, s);
    e->len = (int)strlen(s);
    print(e->len, e->text);
}

/* Appends n characters of s, as many as fit. */
static void editor_append(struct editor *e, const char *s, int n)
{
    if (n > LINE_MAX - e->len)
        n = LINE_MAX - e->len;
    memcpy(e->text + e->len, s, n);
    e->len += n;
    e->text[e->len] = '\0';
    print(n, (char *)s);
}

static void editor_backspace(struct editor *e)
{
    if (e->len == 0)
        return;
    erase_chars(1);
    e->text[--e->len] = '\0';
}

static void history_older(struct editor *e)
{
    const char *line = history_line(e->history_pos + 1);

    if (!line)
        return;
    if (e->history_pos == 0)
        strcpy(e->draft, e->text);
    e->history_pos++;
    editor_show(e, line);
}

static void history_newer(struct editor *e)
{
    if (e->history_pos == 0)
        return;
    e->history_pos--;
    editor_show(e, e->history_pos == 0 ? e->draft : history_line(e->history_pos));
}

/*==== Tab completion ====*/

static char *matches[BUILTIN_COUNT + NAMES_MAX];

/* Collects the names that start with prefix: built-ins and programs, or every file. */
static int find_matches(const char *prefix, int first_word)
{
    int plen = (int)strlen(prefix), n = 0, i;

    if (first_word) {
        find_programs();
        for (i = 0; i < BUILTIN_COUNT; i++)
            if (!strncmp(builtins[i].name, prefix, plen))
                matches[n++] = (char *)builtins[i].name;
    }
    for (i = 0; i < disk_count; i++)
        if ((disk_is_program[i] || !first_word) && !strncmp(disk_names[i], prefix, plen))
            matches[n++] = disk_names[i];
    return n;
}

/* How many first characters all n matches share. */
static int common_length(int n)
{
    int len = (int)strlen(matches[0]), i, k;

    for (i = 1; i < n; i++) {
        for (k = 0; k < len && matches[i][k] == matches[0][k]; k++)
            continue;
        len = k;
    }
    return len;
}

/* Lists the matches under the line, then shows the prompt and the line again. */
static void list_matches(struct editor *e, int n)
{
    put("\n");
    print_columns(matches, n);
    print_prompt();
    print(e->len, e->text);
}

/* Whether only spaces come before `word` in the line: then it names the command. */
static int is_first_word(const char *text, const char *word)
{
    while (text < word && *text == ' ')
        text++;
    return text == word;
}

/* Tab: completes the word at the end of the line (see the top of the file). */
static void complete(struct editor *e)
{
    char *word = strrchr(e->text, ' ');
    int first_word, plen, n, common;

    word = word ? word + 1 : e->text;
    first_word = is_first_word(e->text, word);
    plen = (int)strlen(word);
    n = find_matches(word, first_word);
    if (n == 0)
        return;
    common = common_length(n);
    if (common > plen)
        editor_append(e, matches[0] + plen, common - plen);
    if (n == 1)
        editor_append(e, " ", 1);
    else if (common == plen && e->tabs >= 2)
        list_matches(e, n);
}

/*==== Reading a command ====*/

/*
 * Reads one line into e->text, echoing and editing it; returns its length, LINE_EOF for
 * Ctrl+D on an empty line, or getchar's error.
 */
static int read_line(struct editor *e)
{
    int c;

    e->len = 0;
    e->text[0] = '\0';
    e->history_pos = 0;
    e->tabs = 0;
    for (;;) {
        c = getchar();
        if (c < 0)
            return c;
        e->tabs = c == '\t' ? e->tabs + 1 : 0;
        if (c == '\n') {
            put("\n");
            return e->len;
        } else if (c == '\b') {
            editor_backspace(e);
        } else if (c == '\t') {
            complete(e);
        } else if (c == KEY_UP) {
            history_older(e);
        } else if (c == KEY_DOWN) {
            history_newer(e);
        } else if (c == KEY_CTRL('c')) {
            put("^C\n");
            e->text[e->len = 0] = '\0';
            return 0;
        } else if (c == KEY_CTRL('u')) {
            editor_show(e, "");
        } else if (c == KEY_CTRL('d') && e->len == 0) {
            return LINE_EOF;
        } else if (c >= ' ' && c < 0x7F) {
            char ch = (char)c;
            editor_append(e, &ch, 1);
        }
    }
}

/*==== Commands ====*/

/* Whether only spaces follow p. */
static int only_spaces(const char *p)
{
    while (*p == ' ')
        p++;
    return *p == '\0';
}

/*
 * Copies one word from *src to dst (in place: dst never passes *src), as the kernel reads
 * bootargs: unquoted spaces end it; 'single quotes' keep everything; "double quotes" keep
 * everything but \" and \\; a backslash outside quotes keeps the next character. An unquoted
 * '&' with only spaces after it ends the line and sets *background.
 */
static void copy_word(char **src, char *dst, int *background)
{
    char *p = *src, quote = 0;

    for (; *p && (quote || *p != ' '); p++) {
        if (!quote && *p == '&' && only_spaces(p + 1)) {
            *background = 1;
            p += strlen(p);
            break;
        }
        if (!quote && (*p == '\'' || *p == '"'))
            quote = *p;
        else if (quote && *p == quote)
            quote = 0;
        else if (*p == '\\' && quote != '\'' && p[1]
                 && (!quote || p[1] == '"' || p[1] == '\\'))
            *dst++ = *++p;
        else
            *dst++ = *p;
    }
    *src = *p ? p + 1 : p;              /* before the NUL below, which may land on *p */
    *dst = '\0';
}

/*
 * Splits line into words in place, with quotes as copy_word reads them; a final unquoted '&'
 * sets *background. Returns the number of words, or -1 when there are too many.
 */
static int split_words(char *line, char **argv, int *background)
{
    int argc = 0;

    *background = 0;
    for (;;) {
        while (*line == ' ')
            line++;
        if (*line == '\0')
            break;
        if (*line == '&' && only_spaces(line + 1)) {
            *background = 1;
            break;
        }
        if (argc == ARGS_MAX)
            return -1;
        argv[argc++] = line;
        copy_word(&line, line, background);
    }
    argv[argc] = NULL;
    return argc;
}

static void run_command(char *line)
{
    char *argv[ARGS_MAX + 1];
    int background, argc = split_words(line, argv, &background);

    if (argc < 0) {
        printf("shell: more than %d words\n", ARGS_MAX);
        return;
    }
    if (argc == 0 || run_builtin(argc, argv))
        return;
    run_program(argv, background);
}

int main(void)
{
    static struct editor editor;
    int len;

    load_disk_names();
    printf("Pebbles shell: type help for the commands and programs.\n");
    for (;;) {
        print_prompt();
        len = read_line(&editor);
        if (len == LINE_EOF) {
            put("exit\n");
            return 0;
        }
        if (len < 0) {
            printf("shell: cannot read the keyboard: %s (%d)\n", strerror(len), len);
            return 1;
        }
        history_add(editor.text);
        run_command(editor.text);
    }
}
