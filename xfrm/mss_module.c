/*
 * mss_module.c: "ip tcp adjust-mss" as a tsunagid module.  The table is
 * made whole at start (replacing what a killed run left), again on every
 * reload that changes it, one nft run at a time with the latest
 * configuration winning, and removed at exit.
 */
#include <string.h>

#include "daemon/log.h"
#include "daemon/module.h"
#include "xfrm/mss.h"
#include "xfrm/nft.h"

/* Generous: the script of XFRM_MSS_MAX tunnels is about 16 KiB. */
#define MSS_SCRIPT_MAX 24576
/* nft takes milliseconds; at exit, do not hang on a stuck one. */
#define MSS_STOP_WAIT_MS 3000

static struct {
	struct xfrm_mss want[XFRM_MSS_MAX]; /* what the configuration says */
	struct xfrm_mss run[XFRM_MSS_MAX];  /* what nft is applying */
	struct xfrm_mss have[XFRM_MSS_MAX]; /* what nft last applied */
	size_t nwant, nrun, nhave;
	int applied;  /* have is in the kernel */
	int table;    /* the table may be there (ours or a leftover) */
	int said_nft; /* the missing command was logged */
	int stopping;
} mss;

static void mss_apply(void);

static int
mss_same(
    const struct xfrm_mss *a, size_t na, const struct xfrm_mss *b, size_t nb)
{
	return na == nb && memcmp(a, b, na * sizeof(*a)) == 0;
}

static const struct xfrm_mss *
mss_find(const struct xfrm_mss *v, size_t n, const char *ifname)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i].ifname, ifname) == 0)
			return &v[i];
	return NULL;
}

/* One line per tunnel whose clamping changed. */
static void
mss_log_changes(void)
{
	const struct xfrm_mss *e, *o;
	size_t i;

	for (i = 0; i < mss.nrun; i++) {
		e = &mss.run[i];
		o = mss.applied ? mss_find(mss.have, mss.nhave, e->ifname)
		                : NULL;
		if (o == NULL || memcmp(o, e, sizeof(*e)) != 0)
			log_info("%s: TCP SYNs clamped to MSS %u (IPv4) and "
			         "%u (IPv6), MTU %u",
			    e->ifname, e->mss4, e->mss6, e->mtu);
	}
	for (i = 0; mss.applied && i < mss.nhave; i++)
		if (mss_find(mss.run, mss.nrun, mss.have[i].ifname) == NULL)
			log_info("%s: TCP MSS no longer clamped",
			    mss.have[i].ifname);
}

static void
mss_done(int ok, const char *err, void *arg)
{
	(void)arg;
	if (ok) {
		mss_log_changes();
		memcpy(mss.have, mss.run, mss.nrun * sizeof(mss.run[0]));
		mss.nhave = mss.nrun;
		mss.applied = 1;
		mss.table = mss.nrun > 0;
	} else if (mss.nrun > 0) {
		log_warnx("mss: nft did not take table inet %s (%s): TCP MSS "
		          "is not clamped",
		    XFRM_MSS_TABLE, err);
		mss.applied = 0;
	} else {
		/* Only looking for a leftover table: nothing is lost. */
		log_debug(
		    "mss: removing table inet %s: %s", XFRM_MSS_TABLE, err);
	}
	/* A reload came while nft ran; a failure is not tried again. */
	if (!mss.stopping && !mss_same(mss.want, mss.nwant, mss.run, mss.nrun))
		mss_apply();
}

static void
mss_apply(void)
{
	char script[MSS_SCRIPT_MAX];

	if (xfrm_nft_busy())
		return; /* mss_done comes back for the latest */
	if (!xfrm_nft_available()) {
		if (mss.nwant > 0 && !mss.said_nft)
			log_warnx("mss: ip tcp adjust-mss needs nft(8) at %s "
			          "(Debian: apt-get install nftables): TCP "
			          "MSS is not clamped",
			    xfrm_nft_path());
		mss.said_nft = mss.nwant > 0;
		return;
	}
	if (xfrm_mss_script(mss.want, mss.nwant, script, sizeof(script)) ==
	    -1) {
		log_warnx("mss: cannot write the nft script: TCP MSS is not "
		          "clamped");
		return;
	}
	memcpy(mss.run, mss.want, mss.nwant * sizeof(mss.want[0]));
	mss.nrun = mss.nwant;
	if (mss.nrun > 0)
		mss.table = 1;
	xfrm_nft_start(script, mss_done, NULL);
}

static int
mss_start(const struct conf *conf)
{
	memset(&mss, 0, sizeof(mss));
	mss.nwant = xfrm_mss_from_conf(conf, mss.want, XFRM_MSS_MAX);
	mss_apply();
	return 0;
}

static int
mss_reload(const struct conf *old, const struct conf *new)
{
	(void)old;
	mss.nwant = xfrm_mss_from_conf(new, mss.want, XFRM_MSS_MAX);
	if (mss.applied && mss_same(mss.want, mss.nwant, mss.have, mss.nhave))
		return 0;
	mss_apply();
	return 0;
}

static void
mss_stop(void)
{
	char script[256], err[512];

	mss.stopping = 1;
	if (!mss.table && !xfrm_nft_busy())
		return;
	xfrm_mss_script(NULL, 0, script, sizeof(script));
	if (xfrm_nft_run_wait(script, MSS_STOP_WAIT_MS, err, sizeof(err)) == -1)
		log_warnx("mss: cannot remove table inet %s (%s): remove it "
		          "with: nft delete table inet %s",
		    XFRM_MSS_TABLE, err, XFRM_MSS_TABLE);
	else if (mss.table)
		log_info("mss: table inet %s removed", XFRM_MSS_TABLE);
	mss.table = 0;
}

const struct tsunagi_module xfrm_mss_module = {
    .name = "mss",
    .start = mss_start,
    .reload = mss_reload,
    .stop = mss_stop,
};
