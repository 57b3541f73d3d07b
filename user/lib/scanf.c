/*
 * scanf.c - sscanf: reading values back out of a string.
 *
 * Supported: whitespace in the format matches any run of whitespace (also
 * none), other characters must match exactly, and the conversions
 * %d %i %u %x %o (numbers, via strtol/strtoul), %s (a word), %c (characters,
 * whitespace included) and %%. A '*' after '%' reads a field without storing
 * it; a width limits how many characters a field may use; 'l' is accepted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <ctype.h>
#include <stdarg.h>

#define NUMBER_MAX 32           /* longest number field we read */

static const char *skip_space(const char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    return s;
}

/* Base of a numeric conversion letter, or -1 if it is not one. */
static int number_base(char conv)
{
    switch (conv) {
    case 'd': case 'u': return 10;
    case 'i': return 0;         /* like C source: 0x.. hex, 0.. octal */
    case 'x': return 16;
    case 'o': return 8;
    default: return -1;
    }
}

/*
 * Reads a number of at most width characters at *in. Copying the field out
 * first makes the width limit easy and stops strtol from reading past it.
 * Returns 0 if there was no number.
 */
static int scan_number(const char **in, int width, char conv, unsigned long *value)
{
    char field[NUMBER_MAX + 1];
    char *end;
    int n;

    if (width <= 0 || width > NUMBER_MAX)
        width = NUMBER_MAX;
    for (n = 0; n < width && (*in)[n] != '\0'; n++)
        field[n] = (*in)[n];
    field[n] = '\0';
    if (conv == 'd' || conv == 'i')
        *value = (unsigned long)strtol(field, &end, number_base(conv));
    else
        *value = strtoul(field, &end, number_base(conv));
    if (end == field)
        return 0;
    *in += end - field;
    return 1;
}

/* %s: a run of non-space characters. */
static void scan_word(const char **in, int width, char *dst)
{
    const char *s = *in;

    while (*s != '\0' && !isspace((unsigned char)*s) && (width <= 0 || s - *in < width)) {
        if (dst != NULL)
            *dst++ = *s;
        s++;
    }
    if (dst != NULL)
        *dst = '\0';
    *in = s;
}

/* %c: exactly width characters (default 1); returns 0 if the input is shorter. */
static int scan_chars(const char **in, int width, char *dst)
{
    int n;

    if (width <= 0)
        width = 1;
    for (n = 0; n < width; n++)
        if ((*in)[n] == '\0')
            return 0;
    for (n = 0; n < width; n++)
        if (dst != NULL)
            dst[n] = (*in)[n];
    *in += width;
    return 1;
}

/*
 * One conversion at *in; stores through the next argument unless skip.
 * Returns 1 on success, 0 on a mismatch.
 */
static int scan_one(const char **in, char conv, int width, int skip, va_list *ap)
{
    unsigned long value;

    if (conv == 's') {
        scan_word(in, width, skip ? NULL : va_arg(*ap, char *));
        return 1;
    }
    if (conv == 'c')
        return scan_chars(in, width, skip ? NULL : va_arg(*ap, char *));
    if (number_base(conv) < 0 || !scan_number(in, width, conv, &value))
        return 0;
    if (!skip)
        *va_arg(*ap, unsigned int *) = (unsigned int)value;
    return 1;
}

int vsscanf(const char *str, const char *fmt, va_list ap)
{
    const char *in = str;
    int assigned = 0;
    int width, skip;
    va_list args;

    va_copy(args, ap);
    while (*fmt != '\0') {
        if (isspace((unsigned char)*fmt)) {
            fmt = skip_space(fmt);
            in = skip_space(in);
            continue;
        }
        if (*fmt != '%' || fmt[1] == '%') {     /* a literal character */
            fmt += (*fmt == '%');
            if (*in != *fmt)
                break;
            in++;
            fmt++;
            continue;
        }
        skip = (*++fmt == '*');
        fmt += skip;
        for (width = 0; isdigit((unsigned char)*fmt); fmt++)
            width = width * 10 + (*fmt - '0');
        while (*fmt == 'l')
            fmt++;
        if (*fmt != 'c')
            in = skip_space(in);
        if (*in == '\0') {              /* input ended before this field */
            if (assigned == 0)
                assigned = EOF;
            break;
        }
        if (*fmt == '\0' || !scan_one(&in, *fmt, width, skip, &args))
            break;
        assigned += !skip;
        fmt++;
    }
    va_end(args);
    return assigned;
}

int sscanf(const char *str, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsscanf(str, fmt, ap);
    va_end(ap);
    return n;
}
