/*
 * cmd_ospf.c: "ip router ospf N" and its block.  Networks are named by
 * interface, as on NEC IX, not by prefix: the tunnels are unnumbered.
 */
#include <stdio.h>
#include <string.h>

#include "conf/internal.h"

#define MAX_AREAS    32
#define MAX_NETWORKS 128

static int
h_router_ospf(struct conf_parse *p, struct conf_arg *a, int neg)
{
	struct conf_ospf *o = &p->conf->ospf;

	if (o->enabled) {
		conf_error(p, a[0].tok,
		    "ip router ospf: only one OSPF process "
		    "(process %u is defined on line %d)",
		    o->process_id, o->line);
		return -1;
	}
	o->enabled = 1;
	o->process_id = (unsigned)a[0].num;
	o->distance = CONF_DEF_OSPF_DISTANCE;
	o->line = p->ln->line;
	conf_enter(p, M_OSPF, 0);
	return 0;
}

static int
h_router_id(struct conf_parse *p, struct conf_arg *a, int neg)
{
	p->conf->ospf.router_id = neg ? 0 : (uint32_t)a[0].num;
	return 0;
}

static int
h_distance(struct conf_parse *p, struct conf_arg *a, int neg)
{
	p->conf->ospf.distance = neg ? CONF_DEF_OSPF_DISTANCE
	                             : (uint32_t)a[0].num;
	return 0;
}

static int
h_redistribute(struct conf_parse *p, struct conf_arg *a, int neg)
{
	if (strcmp(p->cmd->path, "redistribute connected") == 0)
		p->conf->ospf.redist_connected = !neg;
	else
		p->conf->ospf.redist_static = !neg;
	return 0;
}

static void
area_str(uint32_t area, char *buf, size_t len)
{
	snprintf(buf, len, "%u", area);
}

static int
h_area(struct conf_parse *p, struct conf_arg *a, int neg)
{
	struct conf_ospf *o = &p->conf->ospf;
	uint32_t *ap, area = (uint32_t)a[0].num;
	char buf[16];
	size_t i;

	for (i = 0; i < o->nareas; i++)
		if (o->areas[i] == area) {
			area_str(area, buf, sizeof(buf));
			conf_error(
			    p, a[0].tok, "area %s is already declared", buf);
			return -1;
		}
	if (conf_add_ref(p, REF_AREA_LINE, a[0].tok->s, a[0].tok) == -1)
		return -1;
	conf_last_ref(p)->area = area;
	ap = conf_grow(
	    p, &o->areas, &o->nareas, sizeof(*ap), MAX_AREAS, "areas");
	if (ap == NULL)
		return -1;
	*ap = area;
	return 0;
}

static int
h_network(struct conf_parse *p, struct conf_arg *a, int neg)
{
	struct conf_ospf *o = &p->conf->ospf;
	struct conf_ospf_net *n;
	size_t i;

	for (i = 0; i < o->nnetworks; i++)
		if (strcmp(o->networks[i].ifname, a[0].tok->s) == 0) {
			conf_error(p, a[0].tok,
			    "network: %s is already in "
			    "area %u (line %d)",
			    conf_q(a[0].tok->s), o->networks[i].area,
			    o->networks[i].line);
			return -1;
		}
	if (conf_add_ref(p, REF_OSPF_NET, a[0].tok->s, a[0].tok) == -1 ||
	    conf_add_ref(p, REF_AREA, a[1].tok->s, a[1].tok) == -1)
		return -1;
	conf_last_ref(p)->area = (uint32_t)a[1].num;
	n = conf_grow(p, &o->networks, &o->nnetworks, sizeof(*n), MAX_NETWORKS,
	    "OSPF networks");
	if (n == NULL)
		return -1;
	strcpy(n->ifname, a[0].tok->s);
	n->area = (uint32_t)a[1].num;
	n->line = p->ln->line;
	return 0;
}

static int
h_passive(struct conf_parse *p, struct conf_arg *a, int neg)
{
	struct conf_ospf *o = &p->conf->ospf;
	char(*pi)[CONF_IFNAMSIZ];
	size_t i;

	for (i = 0; i < o->npassive; i++)
		if (strcmp(o->passive[i], a[0].tok->s) == 0) {
			conf_error(p, a[0].tok,
			    "passive-interface: %s is "
			    "listed twice",
			    conf_q(a[0].tok->s));
			return -1;
		}
	if (conf_add_ref(p, REF_PASSIVE, a[0].tok->s, a[0].tok) == -1)
		return -1;
	pi = conf_grow(p, &o->passive, &o->npassive, sizeof(*pi), MAX_NETWORKS,
	    "passive interfaces");
	if (pi == NULL)
		return -1;
	strcpy(*pi, a[0].tok->s);
	return 0;
}

const struct conf_cmd conf_cmds_ospf[] = {
    {M_GLOBAL, "ip router ospf", "<n:1-65535>", h_router_ospf, NULL, CMD_OPENS},
    {M_OSPF, "router-id", "<rid>", h_router_id, "router-id", CMD_NEG},
    {M_OSPF, "distance", "<n:1-255>", h_distance, "distance",
        CMD_NEG | CMD_NOARGS_NEG},
    {M_OSPF, "redistribute connected", "", h_redistribute,
        "redistribute connected", CMD_NEG | CMD_NOARGS_NEG},
    {M_OSPF, "redistribute static", "", h_redistribute, "redistribute static",
        CMD_NEG | CMD_NOARGS_NEG},
    {M_OSPF, "area", "<area>", h_area, NULL, 0},
    {M_OSPF, "network", "<ifname> area <area>", h_network, NULL, 0},
    {M_OSPF, "passive-interface", "<ifname>", h_passive, NULL, 0},
    {0, NULL, NULL, NULL, NULL, 0},
};
