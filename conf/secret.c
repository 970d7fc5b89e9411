/*
 * secret.c: pre-shared keys, TSIG keys and passwords live in libsodium
 * guarded memory from the moment they are parsed: guard pages around them,
 * PROT_NONE while nobody reads them, wiped when freed.  Decoding goes
 * straight into that memory so no plain copy is left on the heap.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "conf/internal.h"

/* The mask "show running-config" prints; parsing it back is an error. */
#define SECRET_MASK "<hidden>"

static int
secret_alloc(struct conf_secret *s, size_t len)
{
	if (sodium_init() < 0)
		return -1;
	conf_secret_clear(s);
	if (len == 0 || (s->buf = sodium_malloc(len)) == NULL)
		return -1;
	s->len = len;
	return 0;
}

int
conf_secret_set(struct conf_secret *s, const void *buf, size_t len)
{
	if (secret_alloc(s, len) == -1)
		return -1;
	memcpy(s->buf, buf, len);
	sodium_mprotect_noaccess(s->buf);
	return 0;
}

void
conf_secret_clear(struct conf_secret *s)
{
	if (s->buf != NULL)
		sodium_free(s->buf); /* makes it writable and wipes it */
	s->buf = NULL;
	s->len = 0;
}

const unsigned char *
conf_secret_unlock(const struct conf_secret *s)
{
	if (s->buf == NULL)
		return NULL;
	sodium_mprotect_readonly(s->buf);
	return s->buf;
}

void
conf_secret_lock(const struct conf_secret *s)
{
	if (s->buf != NULL)
		sodium_mprotect_noaccess(s->buf);
}

int
conf_secret_equal(const struct conf_secret *a, const struct conf_secret *b)
{
	int eq;

	if (a->len != b->len || (a->buf == NULL) != (b->buf == NULL))
		return 0;
	if (a->buf == NULL)
		return 1;
	conf_secret_unlock(a);
	conf_secret_unlock(b);
	eq = sodium_memcmp(a->buf, b->buf, a->len) == 0;
	conf_secret_lock(a);
	conf_secret_lock(b);
	return eq;
}

/* 0 or -1: not an even number of hex digits (nothing is kept then). */
int
conf_secret_from_hex(struct conf_secret *s, const char *hex, size_t len)
{
	size_t binlen;
	const char *end;

	if (len == 0 || len % 2 != 0 || secret_alloc(s, len / 2) == -1)
		return -1;
	if (sodium_hex2bin(s->buf, s->len, hex, len, NULL, &binlen, &end) !=
	        0 ||
	    binlen != len / 2 || end != hex + len) {
		conf_secret_clear(s);
		return -1;
	}
	sodium_mprotect_noaccess(s->buf);
	return 0;
}

/* Standard base64 with padding, as dnssec-keygen and tsig-keygen print. */
int
conf_secret_from_base64(struct conf_secret *s, const char *b64, size_t len)
{
	size_t binlen;
	const char *end;

	if (len == 0 || len % 4 != 0 || secret_alloc(s, len / 4 * 3) == -1)
		return -1;
	if (sodium_base642bin(s->buf, s->len, b64, len, NULL, &binlen, &end,
	        sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    end != b64 + len || binlen == 0) {
		conf_secret_clear(s);
		return -1;
	}
	s->len = binlen; /* the guarded area may be a byte or two longer */
	sodium_mprotect_noaccess(s->buf);
	return 0;
}

/* form: CONF_KEY_CHAR (as is), CONF_KEY_HEX, or -1 for base64. */
static int
secret_print_plain(FILE *fp, const unsigned char *buf, size_t len, int form)
{
	char out[CONF_MAX_SECRET * 2 + 8];
	char word[CONF_MAX_SECRET + 1];

	if (len > CONF_MAX_SECRET)
		return -1;
	if (form == CONF_KEY_HEX)
		sodium_bin2hex(out, sizeof(out), buf, len);
	else if (form == -1)
		sodium_bin2base64(
		    out, sizeof(out), buf, len, sodium_base64_VARIANT_ORIGINAL);
	else {
		memcpy(word, buf, len);
		word[len] = '\0';
		conf_print_word(fp, word, 1);
		sodium_memzero(word, sizeof(word));
		return 0;
	}
	fputs(out, fp);
	sodium_memzero(out, sizeof(out));
	return 0;
}

int
conf_secret_print(FILE *fp, const struct conf_secret *s, int form, int flags)
{
	int rv;

	if (!(flags & CONF_PRINT_SECRETS) || s->buf == NULL) {
		fputs(SECRET_MASK, fp);
		return 0;
	}
	rv = secret_print_plain(fp, conf_secret_unlock(s), s->len, form);
	conf_secret_lock(s);
	return rv;
}

/*
 * Checks shared by every secret word: not the mask, not empty, not too
 * long.  Messages name the command, never the secret.
 */
int
conf_secret_token(
    struct conf_parse *p, const struct conf_tok *t, const char *what)
{
	if (!t->quoted && strcmp(t->s, SECRET_MASK) == 0) {
		conf_error_at(p, t->line, t->col,
		    "%s: the secret is masked "
		    "(%s, as show output prints it); put the real secret here",
		    what, SECRET_MASK);
		return -1;
	}
	if (t->len == 0) {
		conf_error_at(
		    p, t->line, t->col, "%s: the secret is empty", what);
		return -1;
	}
	return 0;
}
