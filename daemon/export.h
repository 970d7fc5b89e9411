/*
 * export.h: tsunagid -x, the other house's configuration from this
 * house's file and this box's addresses.
 */
#ifndef TSUNAGI_EXPORT_H
#define TSUNAGI_EXPORT_H

/* Writes it to standard output; 0, or 1 with the reasons on stderr. */
int export_peer(const char *path);

#endif
