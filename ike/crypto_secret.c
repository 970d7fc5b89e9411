/*
 * crypto_secret.c: guarded memory for key material, randomness, and the
 * constant-time comparison.  libsodium's sodium_malloc() puts guard pages
 * around each secret, mlocks it and wipes it on sodium_free().
 */
#include <sodium.h>
#include <string.h>

#include "ike/crypto.h"

int
ike_crypto_init(void)
{
	return sodium_init() < 0 ? -1 : 0;
}

int
ike_secret_alloc(struct ike_secret *s, size_t len)
{
	/* sodium_malloc(0) is valid but pointless; keep one byte. */
	s->p = sodium_malloc(len ? len : 1);
	if (s->p == NULL) {
		s->len = 0;
		return -1;
	}
	sodium_memzero(s->p, len ? len : 1);
	s->len = len;
	return 0;
}

int
ike_secret_set(struct ike_secret *s, const void *p, size_t len)
{
	if (ike_secret_alloc(s, len) == -1)
		return -1;
	if (len)
		memcpy(s->p, p, len);
	return 0;
}

void
ike_secret_free(struct ike_secret *s)
{
	if (s->p != NULL)
		sodium_free(s->p);
	s->p = NULL;
	s->len = 0;
}

void
ike_random(void *buf, size_t len)
{
	randombytes_buf(buf, len);
}

uint64_t
ike_random_spi(void)
{
	uint64_t spi;

	/* 2.6: a zero responder SPI means "not yet known" on the wire. */
	do
		randombytes_buf(&spi, sizeof(spi));
	while (spi == 0);
	return spi;
}

int
ike_ct_equal(const void *a, const void *b, size_t len)
{
	return sodium_memcmp(a, b, len) == 0;
}
