/* fuzz-libs: -lsodium */
/*
 * fuzz_conf.c: libFuzzer target for the configuration parser.  Any input
 * must parse or fail cleanly (no crash, leak or hang); whatever parses must
 * print, and the printout must parse back to an equal conf, or we abort.
 * It includes the conf sources so the runner builds it alone:
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -I. \
 *       tests/fuzz/fuzz_conf.c -lsodium
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "conf/algs.c"
#include "conf/args.c"
#include "conf/cmd_ddns.c"
#include "conf/cmd_global.c"
#include "conf/cmd_iface.c"
#include "conf/cmd_ike.c"
#include "conf/cmd_ospf.c"
#include "conf/cmd_watch.c"
#include "conf/conf.c"
#include "conf/diag.c"
#include "conf/equal.c"
#include "conf/ix.c"
#include "conf/ix_cmds.c"
#include "conf/lexer.c"
#include "conf/mirror.c"
#include "conf/parse.c"
#include "conf/print.c"
#include "conf/secret.c"
#include "daemon/suggest.c"
#include "conf/summary.c"
#include "conf/types.c"
#include "conf/validate.c"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Print with secrets, parse that, and insist on the same conf. */
static void
fuzz_round_trip(const struct conf *c)
{
	struct conf_diags d;
	struct conf *c2;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;

	if ((fp = open_memstream(&buf, &len)) == NULL)
		return;
	if (conf_print(c, fp, CONF_PRINT_SECRETS) == -1)
		abort();
	fclose(fp);
	conf_diags_init(&d);
	c2 = conf_parse_text("printed", buf, len, &d);
	if (c2 == NULL || !conf_equal(c, c2)) {
		fwrite(buf, 1, len, stderr);
		conf_diags_print(&d, stderr);
		abort();
	}
	conf_free(c2);
	conf_diags_free(&d);
	free(buf);
}

/*
 * tsunagid -x: whatever parses mirrors or says why; a mirror that is made
 * must print and parse back (export.c refuses to write it otherwise, but
 * it is a bug).  A few kernel addresses, so that the LAN and fixed-peer
 * branches run.
 */
static void
fuzz_mirror(const uint8_t *data, size_t size)
{
	struct conf_hostaddr ha[3] = {
	    {"lan", {AF_INET, {192, 168, 1, 1}, 24}},
	    {"lan", {AF_INET6, {0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 1, 0, 0, 0, 0,
	                 0, 0, 0, 1}, 64}},
	    {"wan6", {AF_INET6, {0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0,
	                  0, 0, 0, 2}, 64}},
	};
	struct conf_diags d;
	struct conf *c;

	conf_diags_init(&d);
	c = conf_parse_text("fuzz", (const char *)data, size, &d);
	if (c != NULL && conf_mirror(c, "fuzz", ha, 3, &d) == 0)
		fuzz_round_trip(c);
	conf_free(c);
	conf_diags_free(&d);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	struct conf_diags d;
	struct conf *c;

	if (devnull == NULL && (devnull = fopen("/dev/null", "w")) == NULL)
		abort();
	conf_diags_init(&d);
	c = conf_parse_text("fuzz", (const char *)data, size, &d);
	conf_diags_print(&d, devnull);
	if (c != NULL) {
		conf_print(c, devnull, 0);
		conf_print_summary(c, devnull);
		fuzz_round_trip(c);
		conf_free(c);
		fuzz_mirror(data, size);
	}
	conf_diags_free(&d);
	return 0;
}
