/*
 * test_watch: the watch-group hysteresis as a table of probe outcomes
 * and the states they must leave behind, and the ICMP echo codec
 * (RFC 1071's checksum example, a round trip of each family, and the
 * replies that must never count as an answer).
 */
#include "ospf/icmp.c"
#include "ospf/watch_fsm.c"

#include <stdlib.h>

#include "tests/unit/tap.h"

/*
 * outcomes: 'a' answered, 'l' lost; states: after each, 'u' up,
 * 'c' confirming, 'd' down.
 */
static const struct {
	const char *what;
	uint32_t watch, variance, restorer;
	const char *outcomes, *states;
} fsm_cases[] = {
    {"answers keep it up", 1, 3, 3, "aaaa", "uuuu"},
    {"one loss only starts confirming", 1, 3, 3, "l", "c"},
    {"one loss, then an answer: up, no flap", 1, 3, 3, "la", "cu"},
    {"watch + variance losses in a row: down", 1, 3, 3, "llll", "cccd"},
    {"an answer in between starts the count again", 1, 3, 3, "lllalll",
        "cccuccc"},
    {"down: restorer answers in a row bring it up", 1, 3, 3, "llllaaa",
        "cccdddu"},
    {"down: a loss among the answers starts them again", 1, 3, 3, "llllaalaaa",
        "cccddddddu"},
    {"down stays down while lost", 1, 3, 3, "llllllll", "cccddddd"},
    {"probe-counter watch 3: two losses are nothing", 3, 1, 1, "llall",
        "uuuuu"},
    {"probe-counter watch 3, variance 1: the fourth loss", 3, 1, 1, "llll",
        "uucd"},
    {"restorer 1: the first answer", 1, 1, 1, "llal", "cduc"},
    {"40 ms of loss at 50 ms probes: one round lost", 1, 3, 5, "aalaa",
        "uucuu"},
};

static char
state_ch(int s)
{
	return s == WATCH_UP ? 'u' : s == WATCH_CONFIRM ? 'c' : 'd';
}

static void
test_fsm(void)
{
	struct conf_watch w;
	struct ospf_watch_fsm f;
	char got[32];
	size_t i, j;

	for (i = 0; i < sizeof(fsm_cases) / sizeof(fsm_cases[0]); i++) {
		memset(&w, 0, sizeof(w));
		memset(&f, 0, sizeof(f));
		w.count_watch = fsm_cases[i].watch;
		w.count_variance = fsm_cases[i].variance;
		w.count_restorer = fsm_cases[i].restorer;
		for (j = 0; fsm_cases[i].outcomes[j] != '\0'; j++) {
			ospf_watch_fsm_step(&f, &w,
			    fsm_cases[i].outcomes[j] == 'a' ? WATCH_EV_ANSWER
			                                    : WATCH_EV_LOST);
			got[j] = state_ch(f.state);
		}
		got[j] = '\0';
		is_str(got, fsm_cases[i].states, "%s", fsm_cases[i].what);
	}
	memset(&w, 0, sizeof(w));
	w.timer_wait = 50;
	w.timer_variance = 20;
	w.timer_restorer = 1000;
	f.state = WATCH_UP;
	is_int(ospf_watch_fsm_interval(&f, &w), 50, "up: probe-timer wait");
	f.state = WATCH_CONFIRM;
	is_int(ospf_watch_fsm_interval(&f, &w), 20, "confirming: variance");
	f.state = WATCH_DOWN;
	is_int(ospf_watch_fsm_interval(&f, &w), 1000, "down: restorer");
	is_str(ospf_watch_state_name(WATCH_CONFIRM), "confirming", "names");
	is_str(ospf_watch_state_name(7), "?", "a state out of range");
}

/* An echo reply as a raw IPv4 socket reads it, from a request. */
static size_t
as_reply4(const uint8_t *req, size_t len, uint8_t *out)
{
	static const uint8_t ip[20] = {0x45, 0, 0, 0, 0, 0, 0x40, 0, 64, 1, 0,
	    0, 192, 0, 2, 1, 192, 0, 2, 2};
	uint16_t c;

	memcpy(out, ip, 20);
	out[2] = (uint8_t)((20 + len) >> 8);
	out[3] = (uint8_t)(20 + len);
	memcpy(out + 20, req, len);
	out[20] = 0; /* echo reply */
	out[22] = out[23] = 0;
	c = ospf_icmp_csum(out + 20, len);
	out[22] = c >> 8;
	out[23] = c & 0xff;
	return 20 + len;
}

static void
test_icmp(void)
{
	static const uint8_t rfc1071[] = {
	    0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
	uint8_t body[OSPF_ICMP_BODY], req[64], pkt[128];
	struct ospf_icmp_echo e;
	uint32_t src = 0;
	size_t n, m;

	is_int(ospf_icmp_csum(rfc1071, sizeof(rfc1071)), 0x220d,
	    "RFC 1071 4.1's example: sum ddf2, checksum 220d");
	is_int(ospf_icmp_csum((const uint8_t *)"\x01", 1), 0xfeff,
	    "an odd length pads with a zero byte");
	memset(body, 0xab, sizeof(body));
	n = ospf_icmp_echo_build(
	    AF_INET, 0x1234, 7, body, sizeof(body), req, sizeof(req));
	is_int(n, 24, "an IPv4 echo request: 8 + 16 bytes");
	is_int(req[0], 8, "type 8");
	is_int(ospf_icmp_csum(req, n), 0, "its checksum sums to zero");
	is_int(ospf_icmp_echo_build(AF_INET, 1, 1, body, sizeof(body), req, 23),
	    0, "no room: 0, nothing written past the end");
	m = as_reply4(req, n, pkt);
	is_int(ospf_icmp_echo_parse(AF_INET, pkt, m, &e, &src), OSPF_ICMP_REPLY,
	    "the reply parses");
	ok(e.id == 0x1234 && e.seq == 7 && e.len == OSPF_ICMP_BODY &&
	        memcmp(e.body, body, sizeof(body)) == 0,
	    "identifier, sequence and body as sent");
	ok(memcmp(&src, "\xc0\x00\x02\x01", 4) == 0, "the IP source given");
	is_int(ospf_icmp_echo_parse(AF_INET, pkt, m - 1, &e, &src),
	    OSPF_ICMP_MALFORMED, "cut short of its IP length: malformed");
	pkt[30] ^= 1;
	is_int(ospf_icmp_echo_parse(AF_INET, pkt, m, &e, &src),
	    OSPF_ICMP_MALFORMED, "a flipped bit: checksum fails, malformed");
	pkt[30] ^= 1;
	pkt[0] = 0x44;
	is_int(ospf_icmp_echo_parse(AF_INET, pkt, m, &e, &src),
	    OSPF_ICMP_MALFORMED, "an IP header length under 20: malformed");
	pkt[0] = 0x45;
	pkt[20] = 8;
	is_int(ospf_icmp_echo_parse(AF_INET, pkt, m, &e, &src), OSPF_ICMP_OTHER,
	    "an echo request is no reply");
	is_int(ospf_icmp_echo_parse(AF_INET, pkt, 27, &e, &src),
	    OSPF_ICMP_MALFORMED, "7 bytes of ICMP: malformed");
	n = ospf_icmp_echo_build(
	    AF_INET6, 0xbeef, 65535, body, sizeof(body), req, sizeof(req));
	ok(n == 24 && req[0] == 128 && req[2] == 0 && req[3] == 0,
	    "an ICMPv6 echo request, its checksum left to the kernel");
	req[0] = 129;
	is_int(ospf_icmp_echo_parse(AF_INET6, req, n, &e, &src),
	    OSPF_ICMP_REPLY, "an ICMPv6 echo reply parses");
	ok(e.id == 0xbeef && e.seq == 65535, "its identifier and sequence");
	is_int(ospf_icmp_echo_parse(AF_INET6, req, 7, &e, &src),
	    OSPF_ICMP_MALFORMED, "ICMPv6, 7 bytes: malformed");
	req[1] = 1;
	is_int(ospf_icmp_echo_parse(AF_INET6, req, n, &e, &src),
	    OSPF_ICMP_OTHER, "a code other than 0: not a reply");
}

int
main(void)
{
	test_fsm();
	test_icmp();
	return tap_done();
}
