/*
 * ctype.c - character classes for ASCII. Anything outside 0..127 (and EOF)
 * belongs to no class, so the tests below need no table.
 */
#include <ctype.h>

int isdigit(int c)  { return c >= '0' && c <= '9'; }
int isupper(int c)  { return c >= 'A' && c <= 'Z'; }
int islower(int c)  { return c >= 'a' && c <= 'z'; }
int isalpha(int c)  { return isupper(c) || islower(c); }
int isalnum(int c)  { return isalpha(c) || isdigit(c); }
int isprint(int c)  { return c >= ' ' && c <= '~'; }

int isxdigit(int c)
{
    return isdigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Space, tab, newline, vertical tab, form feed, carriage return. */
int isspace(int c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

int toupper(int c)  { return islower(c) ? c - 'a' + 'A' : c; }
int tolower(int c)  { return isupper(c) ? c - 'A' + 'a' : c; }
