/*
 * dns_name.c: domain names between presentation and wire form, and the
 * reading of compressed names from untrusted messages.  Pure functions.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "ddns/dns_msg.h"

#define PTR_MASK 0xc0

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* One character of a label, "\X" and "\DDD" unescaped; -1 if malformed. */
static int
name_char(const char **sp)
{
	const char *s = *sp;
	int v;

	if (*s != '\\') {
		*sp = s + 1;
		return (unsigned char)*s;
	}
	s++;
	if (isdigit((unsigned char)s[0])) {
		if (!isdigit((unsigned char)s[1]) ||
		    !isdigit((unsigned char)s[2]))
			return -1;
		v = (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0');
		*sp = s + 3;
		return v > 255 ? -1 : v;
	}
	if (*s == '\0')
		return -1;
	*sp = s + 1;
	return (unsigned char)*s;
}

int
ddns_name_to_wire(const char *text, uint8_t *out, size_t cap, int canonical)
{
	size_t n = 0, lab;
	int c;

	if (strcmp(text, ".") == 0)
		text = "";
	while (*text != '\0') {
		if (*text == '.')
			return -1; /* empty label */
		lab = n++;
		while (*text != '\0' && *text != '.') {
			if ((c = name_char(&text)) == -1 || n - lab > 63 ||
			    n >= cap)
				return -1;
			out[n++] = (uint8_t)(canonical ? lower(c) : c);
		}
		out[lab] = (uint8_t)(n - lab - 1);
		if (*text == '.')
			text++;
	}
	if (n >= cap || n + 1 > DDNS_NAME_MAX)
		return -1;
	out[n++] = 0;
	return (int)n;
}

/*
 * Every pointer must go strictly before the label that holds it, so a
 * chain of pointers always descends and ends; the 255-octet limit bounds
 * the work on top of that.
 */
int
ddns_name_read(
    const uint8_t *msg, size_t len, size_t *off, uint8_t *out, size_t *outlen)
{
	size_t p = *off, n = 0, end = 0, lab_start;
	int jumped = 0;
	uint8_t l;

	for (;;) {
		if (p >= len)
			return -1;
		l = msg[p];
		lab_start = p;
		if ((l & PTR_MASK) == PTR_MASK) {
			size_t to;

			if (p + 1 >= len)
				return -1;
			to = ((size_t)(l & 0x3f) << 8) | msg[p + 1];
			if (to >= lab_start)
				return -1;
			if (!jumped)
				end = p + 2;
			jumped = 1;
			p = to;
			continue;
		}
		if ((l & PTR_MASK) != 0)
			return -1; /* 0x40/0x80: obsolete label types */
		if (n + 1 + l > DDNS_NAME_MAX || p + 1 + l > len)
			return -1;
		if (out != NULL)
			memcpy(out + n, msg + p, (size_t)l + 1);
		n += (size_t)l + 1;
		p += (size_t)l + 1;
		if (l == 0)
			break;
	}
	*off = jumped ? end : p;
	if (outlen != NULL)
		*outlen = n;
	return 0;
}

int
ddns_name_equal(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	size_t i;

	if (alen != blen)
		return 0;
	/* Label lengths are < 64 and so never change under lower(). */
	for (i = 0; i < alen; i++)
		if (lower(a[i]) != lower(b[i]))
			return 0;
	return 1;
}

static int
text_put(char *out, size_t cap, size_t *n, uint8_t c)
{
	int w;

	if (c == '.' || c == '\\')
		w = snprintf(out + *n, cap - *n, "\\%c", c);
	else if (c <= 0x20 || c >= 0x7f)
		w = snprintf(out + *n, cap - *n, "\\%03u", c);
	else
		w = snprintf(out + *n, cap - *n, "%c", c);
	if (w < 0 || (size_t)w >= cap - *n)
		return -1;
	*n += (size_t)w;
	return 0;
}

int
ddns_name_to_text(const uint8_t *wire, size_t len, char *out, size_t cap)
{
	size_t p = 0, n = 0, i;

	if (cap < 2)
		return -1;
	if (len >= 1 && wire[0] == 0) {
		strcpy(out, ".");
		return 0;
	}
	while (p < len && wire[p] != 0) {
		if (wire[p] > 63 || p + 1 + wire[p] > len)
			return -1;
		for (i = 0; i < wire[p]; i++)
			if (text_put(out, cap, &n, wire[p + 1 + i]) == -1)
				return -1;
		if (n + 1 >= cap)
			return -1;
		out[n++] = '.';
		p += (size_t)wire[p] + 1;
	}
	if (p >= len)
		return -1;
	out[n] = '\0';
	return 0;
}
