#define _GNU_SOURCE
#include "sqlite_reads.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <sys/types.h>
#include <unistd.h>

#if defined(__linux__)
#include <fcntl.h>
#include <linux/magic.h>
#include <sys/uio.h>
#include <sys/vfs.h>

static _Thread_local int no_wait;

typedef ssize_t (*pread_function)(int, void *, size_t, off_t);
static pread_function original_pread;
static pread_function original_pread64;
static int installation = SQLITE_ERROR;
/// Set once a file system answered that it can't read from the cache only.
static atomic_int unsupported;

void sqlite_reads_set_no_wait(int on) { no_wait = on; }

/// Whether the open file `descriptor` lives in memory, where a read never waits for a disk.
static int in_memory(int descriptor) {
    struct statfs system;
    if (fstatfs(descriptor, &system) != 0) return 0;
    return system.f_type == TMPFS_MAGIC || system.f_type == RAMFS_MAGIC;
}

/// A read of what the page cache holds; EAGAIN for anything that would wait. A file system
/// that can't tell (EOPNOTSUPP) is read as usual if it keeps the file in memory, and otherwise
/// answers EAGAIN too, and is remembered: such a read goes to a thread that may wait, never to
/// the disk from here.
static ssize_t read_cached(pread_function plain, int descriptor, void *buffer, size_t count, off_t offset) {
    struct iovec vector = {.iov_base = buffer, .iov_len = count};
    ssize_t got = preadv2(descriptor, &vector, 1, offset, RWF_NOWAIT);
    if (got >= 0 || errno == EINTR) return got;
    if (errno == EOPNOTSUPP || errno == EINVAL || errno == ENOSYS || errno == EPERM) {
        if (in_memory(descriptor)) return plain(descriptor, buffer, count, offset);
        atomic_store(&unsupported, 1);
    }
    errno = EAGAIN;
    return -1;
}

static ssize_t shimmed_pread(int descriptor, void *buffer, size_t count, off_t offset) {
    if (no_wait) return read_cached(original_pread, descriptor, buffer, count, offset);
    return original_pread(descriptor, buffer, count, offset);
}

static ssize_t shimmed_pread64(int descriptor, void *buffer, size_t count, off_t offset) {
    if (no_wait) return read_cached(original_pread64, descriptor, buffer, count, offset);
    return original_pread64(descriptor, buffer, count, offset);
}

/// SQLite's unix VFS reads through whichever of "pread" and "pread64" it was built with; the
/// other is absent from its table. Run as the process starts: SQLite reads its table of
/// system calls without a lock, so it is changed before any thread could use it.
__attribute__((constructor)) static void install(void) {
    sqlite3_vfs *vfs = sqlite3_vfs_find("unix");
    if (vfs == NULL || vfs->iVersion < 3 || vfs->xSetSystemCall == NULL) return;
    original_pread = (pread_function)vfs->xGetSystemCall(vfs, "pread");
    original_pread64 = (pread_function)vfs->xGetSystemCall(vfs, "pread64");
    if (original_pread == NULL && original_pread64 == NULL) return;
    int result = SQLITE_OK;
    if (original_pread != NULL) result = vfs->xSetSystemCall(vfs, "pread", (sqlite3_syscall_ptr)shimmed_pread);
    if (result == SQLITE_OK && original_pread64 != NULL)
        result = vfs->xSetSystemCall(vfs, "pread64", (sqlite3_syscall_ptr)shimmed_pread64);
    installation = result;
}

int sqlite_reads_available(void) { return installation == SQLITE_OK && !atomic_load(&unsupported); }

#else

void sqlite_reads_set_no_wait(int on) { (void)on; }
int sqlite_reads_available(void) { return 0; }

#endif
