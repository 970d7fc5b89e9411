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
	}
	conf_diags_free(&d);
	return 0;
}
