/*
 * pidfile.h: a locked pid file; the lock, not the file's existence, says
 * whether a daemon is running, so a stale file from a crash never blocks.
 */
#ifndef TSUNAGI_PIDFILE_H
#define TSUNAGI_PIDFILE_H

int pidfile_open(const char *path);
void pidfile_remove(void);

#endif
