#ifndef SQLITE_READS_H
#define SQLITE_READS_H

// Routes SQLite's unix VFS reads ("pread" or "pread64") through a function that, on a thread
// whose no-wait flag is set, reads only what the page cache already holds (`preadv2` with
// `RWF_NOWAIT`): a read that would wait for the disk fails at once with EAGAIN, which SQLite
// reports as SQLITE_IOERR_READ. A file in memory (tmpfs, ramfs) is read as usual. Threads
// without the flag read as before. Installed when the process starts, before any thread or
// connection exists.

/// Whether reads on this thread may not wait for the disk (1) or may (0).
void sqlite_reads_set_no_wait(int on);

/// Whether reads can be limited to the page cache: 1 once installed, until a file system
/// answers that it can't tell what it holds (NFS, FUSE, a kernel before 4.14); 0 elsewhere.
/// (Probing a database file by opening and closing it would drop the process's locks on it.)
int sqlite_reads_available(void);

#endif
