#ifndef SQLITE_READS_H
#define SQLITE_READS_H

/// Routes SQLite's unix VFS reads ("pread" and "pread64") through a function that, on a
/// thread inside `sqlite_reads_without_waiting`, reads only what the page cache already
/// holds (`preadv2` with `RWF_NOWAIT`): a read that would wait for the disk fails at once
/// with EAGAIN, which SQLite reports as SQLITE_IOERR_READ. Other threads read as before.
/// Call once, before a connection reads on such a thread; returns 0 (SQLITE_OK) once installed.
int sqlite_reads_install(void);

/// Whether reads on this thread may not wait for the disk (1) or may (0).
void sqlite_reads_set_no_wait(int on);

#endif
