/*
 * nft.h: one nft(8) run at a time, its script on standard input (xfrm's
 * own; mss_module.c is the user).
 */
#ifndef TSUNAGI_XFRM_NFT_H
#define TSUNAGI_XFRM_NFT_H

#include <stddef.h>

/* ok: nft applied the whole script; err: what it said, "" if nothing. */
typedef void xfrm_nft_done_cb(int ok, const char *err, void *arg);

/* Whether the nft command is there to run. */
int xfrm_nft_available(void);
const char *xfrm_nft_path(void);

/*
 * Starts nft on script and returns; cb runs from the loop when it has
 * ended.  -1 (logged) if it could not start or one is still running.
 */
int xfrm_nft_start(const char *script, xfrm_nft_done_cb *cb, void *arg);
int xfrm_nft_busy(void);

/*
 * Waits (at most timeout_ms, then kills it) for the running one, if
 * any, calling its cb; then runs script the same way and waits for it.
 * For the exit path, where the loop no longer turns.  0 if nft applied
 * it, else -1 with what nft said in err.
 */
int xfrm_nft_run_wait(
    const char *script, unsigned timeout_ms, char *err, size_t errlen);

#endif
