/* test_ctl_proto.c: the control wire format, both directions. */
#include <stdlib.h>
#include <string.h>

#include "daemon/ctl_proto.h"
#include "tests/unit/tap.h"

static void
test_split(void)
{
	char l1[] = "  show   ikev2\tsa  ", l2[] = "", l3[] = "show \x01x";
	char l4[CTL_REQ_MAX + 8], l5[128];
	char *argv[CTL_MAXWORDS];
	const char *why = NULL;
	int argc = 0, i;

	is_int(ctl_req_split(l1, &argc, argv, &why), 0, "split a request");
	is_int(argc, 3, "three words");
	is_str(argv[0], "show", "word 1");
	is_str(argv[2], "sa", "word 3, blanks trimmed");
	is_int(ctl_req_split(l2, &argc, argv, &why), -1, "empty refused");
	is_str(why, "empty request", "with a reason");
	is_int(ctl_req_split(l3, &argc, argv, &why), -1,
	    "control character refused");
	memset(l4, 'a', sizeof(l4) - 1);
	l4[sizeof(l4) - 1] = '\0';
	is_int(ctl_req_split(l4, &argc, argv, &why), -1, "too long refused");
	is_str(why, "request too long", "with a reason");
	l5[0] = '\0';
	for (i = 0; i <= CTL_MAXWORDS; i++)
		strcat(l5, "w ");
	is_int(ctl_req_split(l5, &argc, argv, &why), -1, "too many words");
}

static void
test_roundtrip(void)
{
	struct buf b;
	struct ctl_rec r;

	buf_init(&b, 4096);
	ok(ctl_enc_begin(&b, "status") == 0 &&
	    ctl_enc_str(&b, "desc", "tab\there\nnl \\ \x7f\xe3\x81\xa4") == 0 &&
	    ctl_enc_lit(&b, "pid", "1234") == 0 &&
	    ctl_enc_lit(&b, "up", "true") == 0 &&
	    ctl_enc_lit(&b, "neg", "-5") == 0 && ctl_enc_end(&b) == 0,
	    "encode a record");
	is_str(b.data, "status\tdesc=tab\\there\\nnl \\\\ \\x7f\\xe3\\x81\\xa4"
	    "\tpid:1234\tup:true\tneg:-5\n", "wire form is one escaped line");
	b.data[b.len - 1] = '\0';
	is_int(ctl_rec_parse(b.data, &r), 0, "decode it");
	is_int(r.kind, CTL_RECORD, "a record");
	is_str(r.type, "status", "type");
	is_int(r.nfields, 4, "four fields");
	is_str(ctl_rec_get(&r, "desc"), "tab\there\nnl \\ \x7f\xe3\x81\xa4",
	    "escapes undone");
	ok(r.f[1].literal && !r.f[0].literal, "literal flags");
	ok(ctl_rec_get(&r, "nope") == NULL, "missing key");
	buf_free(&b);
}

static void
test_refusals(void)
{
	struct buf b;
	struct ctl_rec r;
	char e1[] = ".error\tmsg=bad \\x41", bad1[] = "status\tk=\\q";
	char bad2[] = "status\tk=\\x00", bad3[] = "Status\tk=v";
	char bad4[] = "status\tk:12x", bad5[] = "status\tnovalue";
	char bad6[] = "";

	buf_init(&b, 256);
	is_int(ctl_enc_lit(&b, "k", "12x"), -1, "bad literal not encoded");
	is_int(ctl_enc_lit(&b, "k", "0.000043"), 0, "a decimal fraction");
	is_int(ctl_enc_lit(&b, "k", "-2.5"), 0, "a negative one");
	is_int(ctl_enc_lit(&b, "k", "1."), -1, "no digits after the point");
	is_int(ctl_enc_lit(&b, "k", ".5"), -1, "none before it");
	is_int(ctl_enc_lit(&b, "k", "1.2.3"), -1, "two points");
	is_int(ctl_enc_lit(&b, "k", "1e5"), -1, "no exponent");
	is_int(ctl_enc_str(&b, "Bad Key", "v"), -1, "bad key not encoded");
	is_int(ctl_enc_begin(&b, ".ok"), -1, "a type cannot fake a terminal");
	buf_free(&b);
	is_int(ctl_rec_parse(e1, &r), 0, "error terminal parses");
	is_int(r.kind, CTL_ERROR, "is an error");
	is_str(ctl_rec_get(&r, "msg"), "bad A", "message unescaped");
	is_int(ctl_rec_parse(bad1, &r), -1, "unknown escape");
	is_int(ctl_rec_parse(bad2, &r), -1, "escaped NUL");
	is_int(ctl_rec_parse(bad3, &r), -1, "bad type");
	is_int(ctl_rec_parse(bad4, &r), -1, "bad literal");
	is_int(ctl_rec_parse(bad5, &r), -1, "field without value");
	is_int(ctl_rec_parse(bad6, &r), -1, "empty line");
}

/* An error with its code round-trips; the message is escaped. */
static void
test_error_code(void)
{
	struct buf b;
	struct ctl_rec r;

	buf_init(&b, 256);
	is_int(ctl_enc_error(&b, CTL_E_NOT_RUNNING, "ospf:\tnot running"), 0,
	    "coded error encoded");
	is_int((int)b.len, (int)strlen(".error\tcode=not-running\tmsg="
	    "ospf:\\tnot running\n"), "one line, the tab escaped");
	b.data[b.len - 1] = '\0';
	is_int(ctl_rec_parse(b.data, &r), 0, "coded error parses");
	is_int(r.kind, CTL_ERROR, "is an error");
	is_str(ctl_rec_get(&r, "code"), "not-running", "its code");
	is_str(ctl_rec_get(&r, "msg"), "ospf:\tnot running", "its message");
	buf_free(&b);
}

static void
test_too_many_fields(void)
{
	struct buf b;
	struct ctl_rec *r = malloc(sizeof(*r));
	int i;

	buf_init(&b, 1 << 16);
	ctl_enc_begin(&b, "t");
	for (i = 0; i <= CTL_MAXFIELDS; i++)
		ctl_enc_lit(&b, "k", "1");
	is_int(ctl_rec_parse(b.data, r), -1, "more fields than a record holds");
	buf_free(&b);
	free(r);
}

int
main(void)
{
	test_split();
	test_roundtrip();
	test_refusals();
	test_error_code();
	test_too_many_fields();
	return tap_done();
}
