/*
 * proposal.h: our SA proposals (from the configuration) and the choice
 * among the peer's (RFC 7296 2.7, 3.3).  Proposals are kept in the wire
 * form of msg.h so what we offer is exactly what we send.  Private to ike/.
 */
#ifndef TSUNAGI_IKE_PROPOSAL_H
#define TSUNAGI_IKE_PROPOSAL_H

#include <stddef.h>
#include <stdint.h>

#include "ike/crypto.h"
#include "ike/msg.h"

struct conf_ike_params;

/* AEAD and classic ciphers never share a proposal (RFC 5282 8). */
#define IKE_PROP_MAX_OURS	2

/*
 * Our proposals for an IKE SA (proto IKE_PROTO_IKE) or a CHILD_SA
 * (IKE_PROTO_ESP, DH only with child PFS, ESN off), in the order of the
 * configuration's first encryption algorithm.  The SPI is left empty for
 * the caller.  Returns how many (1 or 2), or -1 if the lists name nothing
 * we implement.
 */
int ike_props_from_conf(const struct conf_ike_params *c, uint8_t proto,
    struct ike_prop *out);
/* The built-in defaults (strongSwan and NEC IX interoperable). */
int ike_props_default(uint8_t proto, struct ike_prop *out);

/*
 * Responder: the first of the peer's proposals (in its order) that one of
 * ours accepts, reduced to one transform of each type, with the peer's
 * proposal number and SPI.  ke_group: the group of the peer's KE payload
 * (0 if none), preferred when acceptable, which saves an INVALID_KE round
 * trip.  -1 means NO_PROPOSAL_CHOSEN.
 */
int ike_prop_select(const struct ike_prop *ours, size_t nours,
    const struct ike_sa_pl *peer, uint8_t proto, uint16_t ke_group,
    struct ike_prop *chosen, struct ike_suite *suite);
/*
 * Initiator: the responder's answer must be one proposal, numbered as one
 * of ours, with exactly one transform of each type, each one we offered
 * in that proposal.  -1 otherwise.
 */
int ike_prop_check_reply(const struct ike_prop *ours, size_t nours,
    const struct ike_sa_pl *reply, uint8_t proto, struct ike_suite *suite);
/* The algorithm descriptors of a one-transform-per-type proposal. */
int ike_prop_suite(const struct ike_prop *p, uint8_t proto,
    struct ike_suite *suite);

#endif
