/*
 * printf.c - formatted output: printf and friends.
 *
 * One formatter, format(), produces characters into a "struct output", which
 * is either
 *   - a caller's string (snprintf): characters past its size are counted but
 *     dropped, so the return value says how long the result would have been;
 *   - a buffer on its way to the console (printf): flushed with one print()
 *     when it is full and at the end of the call. An output up to
 *     PRINTF_BUFSIZE bytes therefore reaches the console in one piece.
 */
#include <stdio.h>
#include <stdarg.h>
#include <stddef.h>
#include <syscall.h>

struct output {
    char *buf;
    size_t cap;         /* characters buf can hold */
    size_t used;        /* characters in buf now */
    size_t total;       /* characters produced in all (the return value) */
    int console;        /* 1: flush full buffers to print(); 0: drop extra */
    int failed;         /* a print() returned an error */
};

/* One conversion specification: %[flags][width][.precision][length]conv */
struct spec {
    int left;           /* '-': pad on the right instead of the left */
    int zero;           /* '0': pad numbers with zeros instead of spaces */
    char sign;          /* '+' or ' ': shown before a non-negative number */
    int alt;            /* '#': 0x before non-zero hex */
    int width;          /* minimum field width */
    int precision;      /* minimum digits, or maximum string length; -1: none */
};

/*==== Output ====*/

static void flush(struct output *out)
{
    if (out->console && out->used > 0 && print((int)out->used, out->buf) < 0)
        out->failed = 1;
    out->used = 0;
}

static void put(struct output *out, char c)
{
    if (out->used == out->cap && out->console)
        flush(out);
    if (out->used < out->cap)
        out->buf[out->used++] = c;
    out->total++;
}

static void put_repeated(struct output *out, char c, int count)
{
    for (; count > 0; count--)
        put(out, c);
}

static void put_chars(struct output *out, const char *s, size_t len)
{
    for (; len > 0; len--)
        put(out, *s++);
}

/* strlen, but reading no further than max characters when max >= 0. */
static size_t text_length(const char *s, int max)
{
    size_t n = 0;

    while ((max < 0 || n < (size_t)max) && s[n] != '\0')
        n++;
    return n;
}

/*==== Conversions ====*/

/* %s and %c: the text, cut to the precision, padded to the width. */
static void format_text(struct output *out, const struct spec *sp,
                        const char *s, size_t len)
{
    int pad;

    if (sp->precision >= 0 && len > (size_t)sp->precision)
        len = (size_t)sp->precision;
    pad = sp->width > (int)len ? sp->width - (int)len : 0;
    if (!sp->left)
        put_repeated(out, ' ', pad);
    put_chars(out, s, len);
    if (sp->left)
        put_repeated(out, ' ', pad);
}

/* Writes value's digits in base, backwards from the end of buf; returns the count. */
static int to_digits(char *end, unsigned int value, unsigned int base, int upper)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    int n = 0;

    while (value != 0) {
        *--end = digits[value % base];
        value /= base;
        n++;
    }
    return n;
}

/*
 * A number: [spaces] prefix [zeros] digits [spaces]. The prefix is the sign
 * or "0x"; zeros come from the precision (minimum digits) or, with the '0'
 * flag and no precision, fill the width.
 */
static void format_number(struct output *out, const struct spec *sp,
                          unsigned int value, unsigned int base, int upper,
                          const char *prefix)
{
    char buf[16];                       /* 11 octal digits at most */
    int ndigits = to_digits(buf + sizeof buf, value, base, upper);
    int nprefix = (int)text_length(prefix, -1);
    int zeros, len;

    if (ndigits == 0 && sp->precision != 0)
        buf[sizeof buf - ++ndigits] = '0';      /* zero shows as "0" unless %.0d */
    zeros = sp->precision > ndigits ? sp->precision - ndigits : 0;
    len = nprefix + zeros + ndigits;
    if (sp->zero && !sp->left && sp->precision < 0 && sp->width > len) {
        zeros += sp->width - len;
        len = sp->width;
    }
    if (!sp->left)
        put_repeated(out, ' ', sp->width - len);
    put_chars(out, prefix, (size_t)nprefix);
    put_repeated(out, '0', zeros);
    put_chars(out, buf + sizeof buf - ndigits, (size_t)ndigits);
    if (sp->left)
        put_repeated(out, ' ', sp->width - len);
}

/* %d and %i. Negating as unsigned works for INT_MIN too. */
static void format_signed(struct output *out, const struct spec *sp, int value)
{
    char sign[2] = { sp->sign, '\0' };

    if (value < 0) {
        sign[0] = '-';
        format_number(out, sp, 0u - (unsigned int)value, 10, 0, sign);
    } else {
        format_number(out, sp, (unsigned int)value, 10, 0, sign);
    }
}

/* %p: always 0x and 8 digits, so addresses line up. */
static void format_pointer(struct output *out, struct spec *sp, void *p)
{
    sp->precision = 8;
    format_number(out, sp, (unsigned int)(size_t)p, 16, 0, "0x");
}

/*==== Parsing a specification ====*/

/* Reads a decimal number or '*' (taken from the arguments). */
static const char *parse_count(const char *fmt, int *count, va_list *ap)
{
    if (*fmt == '*') {
        *count = va_arg(*ap, int);
        return fmt + 1;
    }
    *count = 0;
    while (*fmt >= '0' && *fmt <= '9')
        *count = *count * 10 + (*fmt++ - '0');
    return fmt;
}

/* Fills *sp from the text after '%'; returns a pointer to the conversion letter. */
static const char *parse_spec(const char *fmt, struct spec *sp, va_list *ap)
{
    *sp = (struct spec){ .precision = -1 };
    for (;; fmt++) {
        if (*fmt == '-')
            sp->left = 1;
        else if (*fmt == '0')
            sp->zero = 1;
        else if (*fmt == '+' || (*fmt == ' ' && sp->sign != '+'))
            sp->sign = *fmt;
        else if (*fmt == '#')
            sp->alt = 1;
        else
            break;
    }
    fmt = parse_count(fmt, &sp->width, ap);
    if (sp->width < 0) {                /* a negative '*' width means '-' */
        sp->left = 1;
        sp->width = -sp->width;
    }
    if (*fmt == '.') {
        fmt = parse_count(fmt + 1, &sp->precision, ap);
        if (sp->precision < 0)          /* a negative '*' precision means none */
            sp->precision = -1;
    }
    /* int, long and size_t are all 32 bits. "ll" (64 bits) is not supported:
     * its second 'l' becomes an unknown conversion, printed as written. */
    if (*fmt == 'l' || *fmt == 'z')
        fmt++;
    return fmt;
}

/* Formats one conversion; returns false for an unknown conversion letter. */
static int convert(struct output *out, struct spec *sp, char conv, va_list *ap)
{
    char c;
    const char *s;

    switch (conv) {
    case 'd':
    case 'i':
        format_signed(out, sp, va_arg(*ap, int));
        return 1;
    case 'u':
        format_number(out, sp, va_arg(*ap, unsigned int), 10, 0, "");
        return 1;
    case 'o':
        format_number(out, sp, va_arg(*ap, unsigned int), 8, 0, "");
        return 1;
    case 'x':
    case 'X': {
        unsigned int v = va_arg(*ap, unsigned int);
        const char *prefix = (sp->alt && v != 0) ? (conv == 'x' ? "0x" : "0X") : "";

        format_number(out, sp, v, 16, conv == 'X', prefix);
        return 1;
    }
    case 'p':
        format_pointer(out, sp, va_arg(*ap, void *));
        return 1;
    case 'c':
        c = (char)va_arg(*ap, int);
        sp->precision = -1;
        format_text(out, sp, &c, 1);
        return 1;
    case 's':
        s = va_arg(*ap, const char *);
        if (s == NULL)
            s = "(null)";
        format_text(out, sp, s, text_length(s, sp->precision));
        return 1;
    case '%':
        put(out, '%');
        return 1;
    default:
        return 0;
    }
}

/*==== The formatter and its front ends ====*/

static void format(struct output *out, const char *fmt, va_list ap)
{
    struct spec sp;
    va_list args;
    const char *start;

    va_copy(args, ap);                  /* so helpers can take &args */
    while (*fmt != '\0') {
        if (*fmt != '%') {
            put(out, *fmt++);
            continue;
        }
        start = fmt;
        fmt = parse_spec(fmt + 1, &sp, &args);
        if (*fmt == '\0' || !convert(out, &sp, *fmt, &args)) {
            /* Unknown or unfinished: show it as written, to make the bug visible. */
            fmt += (*fmt != '\0');
            put_chars(out, start, (size_t)(fmt - start));
            continue;
        }
        fmt++;
    }
    va_end(args);
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct output out = { .buf = buf, .cap = size > 0 ? size - 1 : 0 };

    format(&out, fmt, ap);
    if (size > 0)
        buf[out.used] = '\0';
    return (int)out.total;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

/* The caller promises buf is big enough; we cannot check. */
int sprintf(char *buf, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, (size_t)-1 / 2, fmt, ap);
    va_end(ap);
    return n;
}

int vprintf(const char *fmt, va_list ap)
{
    char buf[PRINTF_BUFSIZE];
    struct output out = { .buf = buf, .cap = sizeof buf, .console = 1 };

    format(&out, fmt, ap);
    flush(&out);
    return out.failed ? EOF : (int)out.total;
}

int printf(const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vprintf(fmt, ap);
    va_end(ap);
    return n;
}

/* The string and its newline go out in one print() when they fit. */
int puts(const char *s)
{
    char buf[PRINTF_BUFSIZE];
    struct output out = { .buf = buf, .cap = sizeof buf, .console = 1 };

    put_chars(&out, s, text_length(s, -1));
    put(&out, '\n');
    flush(&out);
    return out.failed ? EOF : 0;
}

int putchar(int c)
{
    char ch = (char)c;

    return print(1, &ch) < 0 ? EOF : (unsigned char)ch;
}
