/*
 * stdlib.c - numbers from strings, abs, and a pseudo-random sequence.
 */
#include <stdlib.h>
#include <ctype.h>

#define LONG_MAX_VALUE  __LONG_MAX__
#define ULONG_MAX_VALUE (__LONG_MAX__ * 2UL + 1UL)

/* Value of c as a digit (0-9, then a/A = 10 ... z/Z = 35), or 36 if none. */
static int digit_value(int c)
{
    if (isdigit(c))
        return c - '0';
    if (isalpha(c))
        return tolower(c) - 'a' + 10;
    return 36;
}

/*
 * Skips leading whitespace and a sign, and settles the base: base 0 means
 * "as in C source" (0x.. hex, 0.. octal, else decimal); base 16 also
 * accepts a 0x prefix. "0x" not followed by a hex digit is just the number 0.
 */
static const char *parse_prefix(const char *s, int *negative, int *base)
{
    while (isspace((unsigned char)*s))
        s++;
    *negative = (*s == '-');
    if (*s == '-' || *s == '+')
        s++;
    if ((*base == 0 || *base == 16) && s[0] == '0' && tolower(s[1]) == 'x' &&
        isxdigit((unsigned char)s[2])) {
        *base = 16;
        return s + 2;
    }
    if (*base == 0)
        *base = (s[0] == '0') ? 8 : 10;
    return s;
}

/*
 * Reads digits of base at s into *value, which sticks at limit if the number
 * is bigger. Returns the first character that is not a digit.
 * v * base + d <= limit  exactly when  v <= (limit - d) / base.
 */
static const char *parse_digits(const char *s, int base, unsigned long limit,
                                unsigned long *value)
{
    unsigned long v = 0;
    int d, overflow = 0;

    while ((d = digit_value((unsigned char)*s)) < base) {
        if (v > (limit - (unsigned long)d) / (unsigned long)base)
            overflow = 1;
        else
            v = v * (unsigned long)base + (unsigned long)d;
        s++;
    }
    *value = overflow ? limit : v;
    return s;
}

/*
 * The common part of strtol and strtoul: *magnitude gets the value of the
 * digits, stuck at the largest magnitude the result type can hold; returns
 * where parsing ended, or s itself if there was no number at all (also for
 * a base other than 0 or 2..36).
 */
static const char *parse_number(const char *s, int base, int *negative,
                                unsigned long *magnitude, int is_signed)
{
    const char *digits, *end;
    unsigned long limit;

    *magnitude = 0;
    *negative = 0;
    if (base < 0 || base == 1 || base > 36)
        return s;
    digits = parse_prefix(s, negative, &base);
    if (!is_signed)
        limit = ULONG_MAX_VALUE;
    else
        limit = *negative ? (unsigned long)LONG_MAX_VALUE + 1 : LONG_MAX_VALUE;
    end = parse_digits(digits, base, limit, magnitude);
    return end == digits ? s : end;
}

long strtol(const char *s, char **endp, int base)
{
    unsigned long magnitude;
    int negative;
    const char *end = parse_number(s, base, &negative, &magnitude, 1);

    if (endp != NULL)
        *endp = (char *)end;
    /* 0 - magnitude wraps to the right value, LONG_MIN included. */
    return negative ? (long)(0UL - magnitude) : (long)magnitude;
}

/* As standard C says, "-1" gives ULONG_MAX: the magnitude negated. */
unsigned long strtoul(const char *s, char **endp, int base)
{
    unsigned long magnitude;
    int negative;
    const char *end = parse_number(s, base, &negative, &magnitude, 0);

    if (endp != NULL)
        *endp = (char *)end;
    return negative ? 0UL - magnitude : magnitude;
}

int atoi(const char *s)
{
    return (int)strtol(s, NULL, 10);
}

long atol(const char *s)
{
    return strtol(s, NULL, 10);
}

int abs(int x)
{
    return x < 0 ? -x : x;
}

long labs(long x)
{
    return x < 0 ? -x : x;
}

/*
 * A linear congruential generator (the constants of the C standard's
 * example). Its low bits repeat quickly, so rand() returns high bits.
 */
static unsigned int rand_state = 1;

int rand(void)
{
    rand_state = rand_state * 1103515245u + 12345u;
    return (int)((rand_state >> 16) & RAND_MAX);
}

void srand(unsigned int seed)
{
    rand_state = seed;
}
