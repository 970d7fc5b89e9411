/*
 * linkcheck.h: the module that checks the file's Linux interface names
 * and addresses against the kernel's while tsunagid runs (warnings only).
 */
#ifndef TSUNAGI_LINKCHECK_H
#define TSUNAGI_LINKCHECK_H

#include "daemon/module.h"

extern const struct tsunagi_module linkcheck_module;

#endif
