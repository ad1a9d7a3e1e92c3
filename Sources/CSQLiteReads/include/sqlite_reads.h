#ifndef SQLITE_READS_H
#define SQLITE_READS_H

/// Routes SQLite's unix VFS reads ("pread" or "pread64") through a function that, on a thread
/// whose no-wait flag is set, reads only what the page cache already holds (`preadv2` with
/// `RWF_NOWAIT`): a read that would wait for the disk fails at once with EAGAIN, which SQLite
/// reports as SQLITE_IOERR_READ. A file in memory (tmpfs, ramfs) is read as usual. Threads
/// without the flag read as before. Installed when the process starts, before any thread or
/// connection exists; returns 0 (SQLITE_OK) if it was.
int sqlite_reads_install(void);

/// Whether reads on this thread may not wait for the disk (1) or may (0).
void sqlite_reads_set_no_wait(int on);

/// Whether the file at `path` can be read that way: 1 if its file system answers
/// `RWF_NOWAIT` or keeps it in memory, 0 if not (NFS, FUSE, a kernel before 4.14, not Linux).
int sqlite_reads_supported(const char *path);

#endif
