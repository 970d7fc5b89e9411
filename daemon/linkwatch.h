/*
 * linkwatch.h: the module that turns the kernel's changes to the
 * interfaces the file names (carrier, addresses) into events for
 * "tsunagictl monitor" and the metrics (evlog.h).
 */
#ifndef TSUNAGI_LINKWATCH_H
#define TSUNAGI_LINKWATCH_H

#include "daemon/module.h"

extern const struct tsunagi_module linkwatch_module;

#endif
