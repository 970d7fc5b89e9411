# ospf: rules for this module (included by the top Makefile.am).
