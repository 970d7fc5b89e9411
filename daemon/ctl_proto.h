/*
 * ctl_proto.h: the control-socket wire format, as a codec without I/O
 * (shared by tsunagid, tsunagictl and the fuzzer).  See
 * docs/control-protocol.md.
 *
 * Request:  one line of printable ASCII words, at most CTL_REQ_MAX bytes
 *           including the newline.
 * Response: record lines "TYPE<TAB>key=escaped<TAB>key:literal...", then
 *           one terminal line ".ok" or ".error<TAB>code=C<TAB>msg=escaped"
 *           (a client takes an .error without a code as "failed").
 */
#ifndef TSUNAGI_CTL_PROTO_H
#define TSUNAGI_CTL_PROTO_H

#include <stddef.h>

#include "daemon/buf.h"

#define CTL_REQ_MAX   1024
#define CTL_MAXWORDS  16
#define CTL_MAXFIELDS 64

enum ctl_kind { CTL_RECORD, CTL_OK, CTL_ERROR };

struct ctl_field {
	char *key;
	char *val;
	int literal; /* number or boolean: print unquoted in JSON */
};

struct ctl_rec {
	enum ctl_kind kind;
	char *type;
	int nfields;
	struct ctl_field f[CTL_MAXFIELDS];
};

int ctl_req_split(char *line, int *argc, char **argv, const char **why);

int ctl_enc_begin(struct buf *b, const char *type);
int ctl_enc_str(struct buf *b, const char *key, const char *val);
int ctl_enc_lit(struct buf *b, const char *key, const char *lit);
int ctl_enc_end(struct buf *b);
int ctl_enc_ok(struct buf *b);
/* code: one of CTL_E_* below. */
int ctl_enc_error(struct buf *b, const char *code, const char *msg);

/* Error codes: why a command failed, for a client's exit status. */
#define CTL_E_FAILED	      "failed"
#define CTL_E_USAGE	      "usage"
#define CTL_E_UNKNOWN	      "unknown-command"
#define CTL_E_NOT_RUNNING     "not-running"

int ctl_rec_parse(char *line, struct ctl_rec *r);
const char *ctl_rec_get(const struct ctl_rec *r, const char *key);

#endif
