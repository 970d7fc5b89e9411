/* fuzz-libs: -lcrypto -lsodium */
/*
 * fuzz_dns: every DNS message the ddns module reads: UPDATE responses
 * through the strict parser and TSIG verification (against a fixed key and
 * request MAC, so a valid MAC is reachable only by the seed corpus), names
 * through the compression reader and the text printer, and resolver rdata
 * through the A/AAAA extractor.  The first byte picks the path.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -I. \
 *       tests/fuzz/fuzz_dns.c -lcrypto -lsodium
 */
#include <string.h>
#include <sys/socket.h>

#include "ddns/dns_msg.c"
#include "ddns/dns_name.c"
#include "ddns/tsig.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t key_secret[32] = "0123456789abcdef0123456789abcdef";

static void
fuzz_response(const uint8_t *msg, size_t len)
{
	struct ddns_msg_info mi;
	struct ddns_tsig_key k;
	uint8_t req_mac[32];

	if (ddns_msg_parse(msg, len, &mi) == -1)
		return;
	memset(req_mac, 0xab, sizeof(req_mac));
	ddns_tsig_key_init(&k, "key.home", DDNS_TSIG_SHA256);
	k.secret = key_secret;
	k.secret_len = sizeof(key_secret);
	(void)ddns_tsig_verify(msg, len, &mi, &k, req_mac, 32, 1700000000);
	ddns_rcode_name(mi.rcode);
	ddns_rcode_name(mi.tsig.error);
}

static void
fuzz_name(const uint8_t *msg, size_t len)
{
	uint8_t out[DDNS_NAME_MAX];
	char txt[DDNS_TEXT_NAME_MAX];
	size_t off, ol;

	if (len < 1)
		return;
	off = msg[0] % len;
	if (ddns_name_read(msg, len, &off, out, &ol) == 0 &&
	    ddns_name_to_text(out, ol, txt, sizeof(txt)) == 0) {
		uint8_t back[DDNS_NAME_MAX];
		int n = ddns_name_to_wire(txt, back, sizeof(back), 0);

		/* Printing and reading back must give the same name. */
		if (n != (int)ol || !ddns_name_equal(back, (size_t)n, out, ol))
			__builtin_trap();
	}
}

/* Up to 8 records: [len byte][rdata], as libunbound hands them over. */
static void
fuzz_rdata(const uint8_t *d, size_t len)
{
	char *data[9];
	int lens[8];
	uint8_t out[8][16];
	size_t n = 0, off = 0;

	while (n < 8 && off < len) {
		size_t l = d[off++];

		if (l > len - off)
			l = len - off;
		data[n] = (char *)(uintptr_t)(d + off);
		lens[n++] = (int)l;
		off += l;
	}
	data[n] = NULL;
	ddns_rdata_addrs(AF_INET, data, lens, out, 8);
	ddns_rdata_addrs(AF_INET6, data, lens, out, 8);
}

static void
fuzz_text(const uint8_t *d, size_t len)
{
	char txt[300];
	uint8_t w[DDNS_NAME_MAX];

	if (len >= sizeof(txt))
		len = sizeof(txt) - 1;
	memcpy(txt, d, len);
	txt[len] = '\0';
	ddns_name_to_wire(txt, w, sizeof(w), 1);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	switch (data[0] & 3) {
	case 0:
		fuzz_response(data + 1, size - 1);
		break;
	case 1:
		fuzz_name(data + 1, size - 1);
		break;
	case 2:
		fuzz_rdata(data + 1, size - 1);
		break;
	default:
		fuzz_text(data + 1, size - 1);
	}
	return 0;
}
