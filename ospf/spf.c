/*
 * spf.c: the routing table calculation (RFC 2328 16).  See spf.h.
 *
 * A few dozen vertices: a linear search for the nearest candidate costs
 * less than a heap would in code, and nothing here outlives the call.
 */
#include "ospf/spf.h"

#include <stdlib.h>
#include <string.h>

#include "ospf/wire.h"

#define INF UINT32_MAX

struct vtx {
	const struct ospf_lsa *lsa;
	uint8_t type; /* OSPF_LSA_ROUTER or OSPF_LSA_NETWORK */
	uint32_t id;
	uint32_t dist;
	int in_tree;
	int ifi; /* the first hop, -1 for ourselves */
	uint32_t nh;
};

struct spf {
	const struct ospf_lsdb *db;
	uint32_t rid;
	const struct ospf_spf_if *ifs;
	size_t nifs;
	uint64_t now;
	struct vtx *v;
	size_t nv;
	struct ospf_spf *out;
	int oom;
};

const char *
ospf_rt_kind_name(int kind)
{
	switch (kind) {
	case OSPF_RT_CONNECTED:
		return "connected";
	case OSPF_RT_INTRA:
		return "intra-area";
	case OSPF_RT_INTER:
		return "inter-area";
	case OSPF_RT_EXT1:
		return "external-1";
	case OSPF_RT_EXT2:
		return "external-2";
	}
	return "?";
}

static int
usable(const struct spf *s, const struct ospf_lsa *l)
{
	return ospf_lsa_age(l, s->now) < OSPF_MAX_AGE;
}

static struct vtx *
vfind(struct spf *s, uint8_t type, uint32_t id)
{
	size_t i;

	for (i = 0; i < s->nv; i++)
		if (s->v[i].type == type && s->v[i].id == id)
			return &s->v[i];
	return NULL;
}

/* Router-LSAs whose id is their router's, and network-LSAs (16.1). */
static int
vertices(struct spf *s)
{
	size_t i;

	/* One per LSA, and one for our own if the database has none. */
	s->v = calloc(s->db->n + 1, sizeof(*s->v));
	if (!s->v)
		return -1;
	for (i = 0; i < s->db->n; i++) {
		const struct ospf_lsa *l = s->db->v[i];

		if (!usable(s, l) || (l->key.type != OSPF_LSA_NETWORK &&
		                         (l->key.type != OSPF_LSA_ROUTER ||
		                             l->key.id != l->key.adv)))
			continue;
		s->v[s->nv].lsa = l;
		s->v[s->nv].type = l->key.type;
		s->v[s->nv].id = l->key.id;
		s->v[s->nv].dist = INF;
		s->v[s->nv].ifi = -1;
		s->nv++;
	}
	return 0;
}

/* 16.1 (2b): W must link back to V. */
static int
links_back(const struct vtx *w, const struct vtx *v)
{
	struct ospf_rtr r;
	struct ospf_rtr_link l;
	struct ospf_net n;
	size_t i;

	if (w->type == OSPF_LSA_NETWORK) {
		if (v->type != OSPF_LSA_ROUTER ||
		    ospf_net_parse(w->lsa->data, &n))
			return 0;
		for (i = 0; i < n.nrtr; i++)
			if (ospf_net_router(&n, i) == v->id)
				return 1;
		return 0;
	}
	if (ospf_rtr_parse(w->lsa->data, &r) < 0)
		return 0;
	while (ospf_rtr_next(&r, &l))
		if ((v->type == OSPF_LSA_ROUTER && l.type == OSPF_LINK_P2P &&
		        l.id == v->id) ||
		    (v->type == OSPF_LSA_NETWORK &&
		        l.type == OSPF_LINK_TRANSIT && l.id == v->id))
			return 1;
	return 0;
}

/* Our interface for a link of ours to router w: its index, or -1. */
static int
root_if(const struct spf *s, uint32_t data, uint32_t w)
{
	size_t i;

	for (i = 0; i < s->nifs; i++)
		if (s->ifs[i].data == data && s->ifs[i].nbr_rid == w)
			return (int)i;
	return -1;
}

static void
relax(struct spf *s, struct vtx *v, struct vtx *w, uint32_t cost, uint32_t data)
{
	int ifi = v->ifi;
	uint32_t nh = v->nh;

	if (!w || w->in_tree || cost >= w->dist || !links_back(w, v))
		return;
	if (v->ifi < 0) { /* v is ourselves: w is a neighbour (16.1.1) */
		if (w->type != OSPF_LSA_ROUTER ||
		    (ifi = root_if(s, data, w->id)) < 0)
			return; /* no transit networks on our side */
		nh = s->ifs[ifi].nbr_addr;
	}
	w->dist = cost;
	w->ifi = ifi;
	w->nh = nh;
}

static void
expand(struct spf *s, struct vtx *v)
{
	struct ospf_rtr r;
	struct ospf_rtr_link l;
	struct ospf_net n;
	size_t i;

	if (v->type == OSPF_LSA_NETWORK) {
		if (ospf_net_parse(v->lsa->data, &n) == 0)
			for (i = 0; i < n.nrtr; i++)
				relax(s, v,
				    vfind(s, OSPF_LSA_ROUTER,
				        ospf_net_router(&n, i)),
				    v->dist, 0);
		return;
	}
	if (ospf_rtr_parse(v->lsa->data, &r) < 0)
		return;
	while (ospf_rtr_next(&r, &l)) {
		if (l.type == OSPF_LINK_P2P)
			relax(s, v, vfind(s, OSPF_LSA_ROUTER, l.id),
			    v->dist + l.metric, l.data);
		else if (l.type == OSPF_LINK_TRANSIT)
			relax(s, v, vfind(s, OSPF_LSA_NETWORK, l.id),
			    v->dist + l.metric, l.data);
	}
}

static struct vtx *
nearest(struct spf *s)
{
	struct vtx *best = NULL;
	size_t i;

	for (i = 0; i < s->nv; i++)
		if (!s->v[i].in_tree && s->v[i].dist != INF &&
		    (!best || s->v[i].dist < best->dist))
			best = &s->v[i];
	return best;
}

static void
dijkstra(struct spf *s, struct vtx *root)
{
	struct vtx *v;

	root->dist = 0;
	while ((v = nearest(s)) != NULL) {
		v->in_tree = 1;
		if (v->type == OSPF_LSA_ROUTER)
			s->out->reached++;
		expand(s, v);
	}
}

/* a better than b, for one destination (16.4 (6), 11). */
static int
better(const struct ospf_spf_route *a, const struct ospf_spf_route *b)
{
	if (a->kind != b->kind)
		return a->kind < b->kind;
	if (a->kind == OSPF_RT_EXT2 && a->cost2 != b->cost2)
		return a->cost2 < b->cost2;
	return a->cost < b->cost;
}

static void
route_add(struct spf *s, const struct ospf_spf_route *r)
{
	struct ospf_spf *o = s->out;
	size_t i;

	for (i = 0; i < o->n; i++)
		if (o->rt[i].prefix == r->prefix && o->rt[i].mask == r->mask) {
			if (better(r, &o->rt[i]))
				o->rt[i] = *r;
			return;
		}
	if (o->n == o->cap) {
		size_t cap = o->cap ? 2 * o->cap : 32;
		struct ospf_spf_route *v = realloc(o->rt, cap * sizeof(*v));

		if (!v) {
			s->oom = 1;
			return;
		}
		o->rt = v;
		o->cap = cap;
	}
	o->rt[o->n++] = *r;
}

static void
route_of(struct ospf_spf_route *r, const struct vtx *v, uint32_t prefix,
    uint32_t mask, int kind, uint32_t cost)
{
	memset(r, 0, sizeof(*r));
	r->prefix = prefix & mask;
	r->mask = mask;
	r->kind = kind;
	r->cost = cost;
	r->ifi = v->ifi;
	r->nexthop = v->nh;
	r->adv = v->lsa->key.adv;
}

/* 16.1 stage 2: stub networks, and the networks of network-LSAs. */
static void
stubs(struct spf *s, const struct vtx *v)
{
	struct ospf_spf_route r;
	struct ospf_rtr rt;
	struct ospf_rtr_link l;
	struct ospf_net n;

	if (v->type == OSPF_LSA_NETWORK) {
		if (ospf_net_parse(v->lsa->data, &n) == 0) {
			route_of(&r, v, v->id, n.mask, OSPF_RT_INTRA, v->dist);
			route_add(s, &r);
		}
		return;
	}
	if (ospf_rtr_parse(v->lsa->data, &rt) < 0)
		return;
	while (ospf_rtr_next(&rt, &l))
		if (l.type == OSPF_LINK_STUB) {
			route_of(&r, v, l.id, l.data,
			    v->ifi < 0 ? OSPF_RT_CONNECTED : OSPF_RT_INTRA,
			    v->dist + l.metric);
			route_add(s, &r);
		}
}

/* The route with the longest mask that holds addr (no externals). */
static const struct ospf_spf_route *
route_to(const struct spf *s, uint32_t addr)
{
	const struct ospf_spf_route *best = NULL;
	size_t i;

	for (i = 0; i < s->out->n; i++) {
		const struct ospf_spf_route *r = &s->out->rt[i];

		if (r->kind <= OSPF_RT_INTER && (addr & r->mask) == r->prefix &&
		    (!best || r->mask > best->mask))
			best = r;
	}
	return best;
}

/* 16.2: inter-area routes, through the ABR that announces them. */
static void
summary(struct spf *s, const struct ospf_lsa *l)
{
	struct ospf_spf_route r;
	struct ospf_sum sum;
	struct vtx *abr = vfind(s, OSPF_LSA_ROUTER, l->key.adv);

	if (!abr || !abr->in_tree || abr->ifi < 0 ||
	    ospf_sum_parse(l->data, &sum) || sum.metric >= OSPF_LS_INFINITY)
		return;
	route_of(&r, abr, l->key.id, sum.mask, OSPF_RT_INTER,
	    abr->dist + sum.metric);
	route_add(s, &r);
}

/* 16.4: AS-external routes, through the ASBR or the forwarding address. */
static void
external(struct spf *s, const struct ospf_lsa *l)
{
	struct ospf_spf_route r;
	struct ospf_ext e;
	struct ospf_rtr rt;
	struct vtx *asbr = vfind(s, OSPF_LSA_ROUTER, l->key.adv);
	const struct ospf_spf_route *via;

	if (!asbr || !asbr->in_tree || asbr->ifi < 0 ||
	    ospf_ext_parse(l->data, &e) || e.metric >= OSPF_LS_INFINITY ||
	    ospf_rtr_parse(asbr->lsa->data, &rt) || !(rt.flags & OSPF_RTR_E))
		return;
	route_of(&r, asbr, l->key.id, e.mask,
	    e.ebit ? OSPF_RT_EXT2 : OSPF_RT_EXT1, asbr->dist);
	if (e.fwd) { /* 16.4 (3): via the route to the forwarding address */
		via = route_to(s, e.fwd);
		if (!via || via->kind == OSPF_RT_CONNECTED)
			return; /* on our own link: not done here */
		r.cost = via->cost;
		r.ifi = via->ifi;
		r.nexthop = via->nexthop;
	}
	if (e.ebit)
		r.cost2 = e.metric;
	else
		r.cost += e.metric;
	route_add(s, &r);
}

/* Our own vertex, from self when given. */
static struct vtx *
root_of(struct spf *s, const struct ospf_lsa *self)
{
	struct vtx *root = vfind(s, OSPF_LSA_ROUTER, s->rid);

	if (!self)
		return root;
	if (!root) { /* vertices() left room: one per LSA, plus none used */
		root = &s->v[s->nv++];
		root->type = OSPF_LSA_ROUTER;
		root->id = s->rid;
		root->dist = INF;
		root->ifi = -1;
	}
	root->lsa = self;
	return root;
}

int
ospf_spf_run(const struct ospf_lsdb *db, uint32_t rid,
    const struct ospf_lsa *self, const struct ospf_spf_if *ifs, size_t nifs,
    uint64_t now, struct ospf_spf *out)
{
	struct spf s = {.db = db,
	    .rid = rid,
	    .ifs = ifs,
	    .nifs = nifs,
	    .now = now,
	    .out = out};
	struct vtx *root;
	size_t i;

	memset(out, 0, sizeof(*out));
	if (vertices(&s) < 0)
		return -1;
	root = root_of(&s, self);
	if (root)
		dijkstra(&s, root);
	for (i = 0; i < s.nv; i++)
		if (s.v[i].in_tree)
			stubs(&s, &s.v[i]);
	for (i = 0; root && i < db->n; i++) {
		const struct ospf_lsa *l = db->v[i];

		if (!usable(&s, l) || l->key.adv == rid)
			continue;
		if (l->key.type == OSPF_LSA_SUMMARY)
			summary(&s, l);
		else if (l->key.type == OSPF_LSA_EXTERNAL)
			external(&s, l);
	}
	free(s.v);
	if (s.oom) {
		ospf_spf_free(out);
		return -1;
	}
	return 0;
}

void
ospf_spf_free(struct ospf_spf *s)
{
	free(s->rt);
	memset(s, 0, sizeof(*s));
}
