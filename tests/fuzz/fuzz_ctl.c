/* fuzz-libs: */
/*
 * fuzz_ctl.c: control-socket requests and response lines, the two things
 * tsunagid and tsunagictl parse from the other side of the socket.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/buf.c"
#include "daemon/ctl_proto.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = malloc(size + 1);
	char *argv[CTL_MAXWORDS];
	struct ctl_rec r;
	struct buf b;
	const char *why;
	int argc, i;

	memcpy(line, data, size);
	line[size] = '\0';
	ctl_req_split(line, &argc, argv, &why);
	memcpy(line, data, size);
	/* Whatever parses must encode back to a line that parses the same. */
	if (ctl_rec_parse(line, &r) == 0 && r.kind == CTL_RECORD) {
		buf_init(&b, 1 << 20);
		ctl_enc_begin(&b, r.type);
		for (i = 0; i < r.nfields; i++)
			if (r.f[i].literal)
				ctl_enc_lit(&b, r.f[i].key, r.f[i].val);
			else
				ctl_enc_str(&b, r.f[i].key, r.f[i].val);
		if (!b.overflow && ctl_rec_parse(b.data, &r) != 0)
			abort();
		buf_free(&b);
	}
	free(line);
	return 0;
}
