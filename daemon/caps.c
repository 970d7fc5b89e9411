/*
 * caps.c: drop every capability but the three network ones, from the
 * effective, permitted, inheritable and bounding sets, with no_new_privs,
 * so a bug in a parser cannot be turned into more than network access.
 * Uses the raw capset(2) interface: one call does not justify libcap.
 * A service manager may have cut the sets down already (systemd's
 * CapabilityBoundingSet=): what is gone needs no dropping, and dropping
 * needs CAP_SETPCAP, which such a manager takes away too.
 */
#include <errno.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "daemon/caps.h"
#include "daemon/log.h"

#define CAPBIT(c) ((uint64_t)1 << (c))

uint64_t
caps_kept(void)
{
	return CAPBIT(CAP_NET_ADMIN) | CAPBIT(CAP_NET_RAW) |
	    CAPBIT(CAP_NET_BIND_SERVICE);
}

static int
caps_bounding(uint64_t keep)
{
	int c;

	for (c = 0; c <= 63; c++) {
		if (keep & CAPBIT(c))
			continue;
		/* 0: already out of the set; -1 (EINVAL): no such capability. */
		if (prctl(PR_CAPBSET_READ, c, 0, 0, 0) != 1)
			continue;
		if (prctl(PR_CAPBSET_DROP, c, 0, 0, 0) == -1)
			return -1;
	}
	return 0;
}

/* The permitted set now: capset may only narrow it. */
static int
caps_permitted(uint64_t *perm)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct d[2] = { { 0 } };

	if (syscall(SYS_capget, &h, d) == -1)
		return -1;
	*perm = (uint64_t)d[1].permitted << 32 | d[0].permitted;
	return 0;
}

int
caps_drop(void)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct d[2] = { { 0 } };
	uint64_t keep = caps_kept(), perm;

	if (geteuid() != 0) {
		log_debug("not root: capabilities left as they are");
		return 0;
	}
	if (caps_permitted(&perm) == -1) {
		log_warn("capget");
		return -1;
	}
	if ((keep & perm) != keep)
		log_warnx("started without CAP_NET_ADMIN, CAP_NET_RAW or "
		    "CAP_NET_BIND_SERVICE: what needs it will fail");
	keep &= perm;
	if (caps_bounding(keep) == -1) {
		log_warn("dropping capabilities from the bounding set");
		return -1;
	}
	d[0].effective = d[0].permitted = (uint32_t)keep;
	d[1].effective = d[1].permitted = (uint32_t)(keep >> 32);
	if (syscall(SYS_capset, &h, d) == -1) {
		log_warn("capset");
		return -1;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1) {
		log_warn("no_new_privs");
		return -1;
	}
	return 0;
}
