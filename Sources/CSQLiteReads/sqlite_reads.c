#define _GNU_SOURCE
#include "sqlite_reads.h"

#include <errno.h>
#include <sqlite3.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

static _Thread_local int no_wait;

typedef ssize_t (*pread_function)(int, void *, size_t, off_t);
static pread_function original_pread;
static pread_function original_pread64;

void sqlite_reads_set_no_wait(int on) { no_wait = on; }

/// A read of what the page cache holds; EAGAIN for anything that would wait. A kernel or file
/// system without RWF_NOWAIT answers EOPNOTSUPP, reported as EAGAIN too: such a read goes to a
/// thread that may wait, never to the disk from here.
static ssize_t read_cached(int descriptor, void *buffer, size_t count, off_t offset) {
    struct iovec vector = {.iov_base = buffer, .iov_len = count};
    ssize_t got = preadv2(descriptor, &vector, 1, offset, RWF_NOWAIT);
    if (got < 0 && errno != EINTR) errno = EAGAIN;
    return got;
}

static ssize_t shimmed_pread(int descriptor, void *buffer, size_t count, off_t offset) {
    if (no_wait) return read_cached(descriptor, buffer, count, offset);
    return original_pread(descriptor, buffer, count, offset);
}

static ssize_t shimmed_pread64(int descriptor, void *buffer, size_t count, off_t offset) {
    if (no_wait) return read_cached(descriptor, buffer, count, offset);
    return original_pread64(descriptor, buffer, count, offset);
}

/// SQLite's unix VFS reads through whichever of "pread" and "pread64" it was built with; the
/// other is absent from its table.
int sqlite_reads_install(void) {
    sqlite3_vfs *vfs = sqlite3_vfs_find("unix");
    if (vfs == NULL || vfs->iVersion < 3 || vfs->xSetSystemCall == NULL) return SQLITE_ERROR;
    if (original_pread != NULL || original_pread64 != NULL) return SQLITE_OK;
    original_pread = (pread_function)vfs->xGetSystemCall(vfs, "pread");
    original_pread64 = (pread_function)vfs->xGetSystemCall(vfs, "pread64");
    if (original_pread == NULL && original_pread64 == NULL) return SQLITE_ERROR;
    int result = SQLITE_OK;
    if (original_pread != NULL) result = vfs->xSetSystemCall(vfs, "pread", (sqlite3_syscall_ptr)shimmed_pread);
    if (result == SQLITE_OK && original_pread64 != NULL)
        result = vfs->xSetSystemCall(vfs, "pread64", (sqlite3_syscall_ptr)shimmed_pread64);
    return result;
}
