#!/bin/bash
# bench/scenarios/refstack.sh: the reference stack alone (strongSwan with
# XFRM interfaces, FRR's OSPF with BFD at 100 ms x 3; tests/vm/refstack.sh)
# on the demo's topology, through the demo's cuts of home's IPv6 line.
# The demo (tests/vm/scenarios/demo.sh) runs the same after tsunagi's
# part and prints the ratios; this is for tuning the reference.
#
#   tests/vm/run bench/scenarios/refstack.sh     (as root; bench/refstack)

# shellcheck source=tests/vm/lib.sh
. "${TSUNAGI_SRC:-.}/tests/vm/lib.sh"
# shellcheck source=tests/vm/refstack.sh
. "${TSUNAGI_SRC:-.}/tests/vm/refstack.sh"
trap topo_down EXIT
tap_plan
ok "both houses and both providers are up" topo_up || exit 1
ref_run
cp "$TOPO_DIR"/ref-*-ping4.log "${VM_OUT:-$TOPO_DIR}/" 2> /dev/null
PLOT=()
for k in line line-back loss loss-back; do ref_panel "$k"; done
[ ${#PLOT[@]} = 0 ] ||
	ok "the 10 ms ping traces, plotted (ref-trace.png)" \
		pingplot plot "${VM_OUT:-$TOPO_DIR}/ref-trace.png" "${PLOT[@]}"
tap_end
