/*
 * module.c: ike as a tsunagid module: one engine (ctx.c) on the real
 * seam (glue.c), the control commands, and the public ike.h calls.
 */
#include <stddef.h>
#include <string.h>

#include "conf/conf.h"
#include "daemon/ctl.h"
#include "daemon/log.h"
#include "daemon/module.h"
#include "ike/glue.h"

struct ike_listener {
	ike_tunnel_cb	*cb;
	void		*arg;
};

static struct {
	struct ike_ctx	 ctx;
	int		 started, registered;
	struct ike_listener ls[IKE_LISTENERS];
} mod;

struct ike_ctx *
ike_glue_ctx(void)
{
	return &mod.ctx;
}

/* The engine's one callback, fanned out to every listener. */
static void
ike_mod_tunnel_cb(const char *tunnel, int up, void *arg)
{
	size_t i;

	(void)arg;
	for (i = 0; i < IKE_LISTENERS; i++)
		if (mod.ls[i].cb != NULL)
			mod.ls[i].cb(tunnel, up, mod.ls[i].arg);
}

int
ike_tunnel_listen(ike_tunnel_cb *cb, void *arg)
{
	size_t i;

	for (i = 0; i < IKE_LISTENERS; i++)
		if (mod.ls[i].cb == NULL) {
			mod.ls[i].cb = cb;
			mod.ls[i].arg = arg;
			return 0;
		}
	log_warnx("ike: too many tunnel listeners");
	return -1;
}

void
ike_tunnel_unlisten(ike_tunnel_cb *cb, void *arg)
{
	size_t i;

	for (i = 0; i < IKE_LISTENERS; i++)
		if (mod.ls[i].cb == cb && mod.ls[i].arg == arg)
			mod.ls[i].cb = NULL;
}

int
ike_tunnel_is_up(const char *tunnel)
{
	struct ike_tunnel *t;

	if (!mod.started || (t = ike_tunnel_find(&mod.ctx, tunnel)) == NULL)
		return 0;
	return t->state == IKE_T_UP;
}

int
ike_clear_sa(const char *tunnel)
{
	struct ike_tunnel *t;

	if (!mod.started)
		return -1;
	if (tunnel == NULL) {
		for (t = mod.ctx.tunnels; t != NULL; t = t->next)
			ike_tunnel_clear(t, "the operator");
		return 0;
	}
	if ((t = ike_tunnel_find(&mod.ctx, tunnel)) == NULL)
		return -1;
	ike_tunnel_clear(t, "the operator");
	return 0;
}

int
ike_clear_sa_path_lost(const char *tunnel)
{
	struct ike_tunnel *t;

	if (!mod.started || (t = ike_tunnel_find(&mod.ctx, tunnel)) == NULL)
		return -1;
	ike_tunnel_path_lost(t, IKE_PD_WATCH);
	ike_tunnel_clear(t, "its watch-group");
	return 0;
}

/* show ikev2 sa [TUNNEL] [detail], as on IX. */
static int
ike_ctl_show(struct ctl_conn *c, int argc, char **argv, void *arg)
{
	int detail = argc > 0 && strcmp(argv[argc - 1], "detail") == 0;

	(void)arg;
	if (detail)
		argc--;
	if (argc > 1)
		return ctl_usage(c, "usage: show ikev2 sa [TUNNEL] [detail]");
	return ike_show(&mod.ctx, c, argc > 0 ? argv[0] : NULL, detail);
}

static int
ike_ctl_clear(struct ctl_conn *c, int argc, char **argv, void *arg)
{
	const char *name = argc > 0 ? argv[0] : NULL;

	(void)arg;
	if (ike_clear_sa(name) == -1)
		return ctl_fail(c, "no tunnel %s", name ? name : "");
	ctl_rec_begin(c, "cleared");
	ctl_rec_str(c, "tunnel", name ? name : "all");
	ctl_rec_end(c);
	return 0;
}

static int
ike_mod_start(const struct conf *conf)
{
	if (ike_crypto_init() == -1) {
		log_warnx("ike: crypto initialisation failed");
		return -1;
	}
	ike_ctx_init(&mod.ctx, &ike_glue_ops, NULL);
	mod.ctx.cb = ike_mod_tunnel_cb;
	mod.started = 1;
	if (!mod.registered &&
	    (ctl_register("show ikev2 sa", 2,
		 "IKEv2 and ESP SAs per tunnel [TUNNEL] [detail]", ike_ctl_show,
		 NULL) == -1 ||
		ctl_register("clear ikev2 sa", 1,
		    "tear down and re-initiate a tunnel's SAs [TUNNEL]",
		    ike_ctl_clear, NULL) == -1))
		return -1;
	mod.registered = 1;
	/* A tunnel that cannot start is logged; the others run. */
	ike_ctx_load(&mod.ctx, conf);
	ike_glue_monitor(1);
	return 0;
}

static int
ike_mod_reload(const struct conf *old, const struct conf *new)
{
	(void)old;
	return ike_ctx_reload(&mod.ctx, new);
}

static void
ike_mod_stop(void)
{
	if (!mod.started)
		return;
	ike_glue_monitor(0);
	ike_ctx_fini(&mod.ctx);
	mod.started = 0;
}

static void
ike_mod_status(struct ctl_conn *c)
{
	if (mod.started)
		ike_status(&mod.ctx, c);
}

static void
ike_mod_metrics(struct ctl_conn *c)
{
	if (mod.started)
		ike_metrics(&mod.ctx, c);
}

const struct tsunagi_module ike_module = {
	.name = "ike",
	.start = ike_mod_start,
	.reload = ike_mod_reload,
	.stop = ike_mod_stop,
	.status = ike_mod_status,
	.metrics = ike_mod_metrics,
};
