# docs: man pages are listed by their modules; notes ship by dist-hook.

# The notes beside the man pages.
dist_doc_DATA = README.md docs/control-protocol.md docs/ddns.md docs/ike.md \
	docs/ix-migration.md docs/ospf.md docs/quickstart.md docs/watch.md \
	docs/xfrm.md
