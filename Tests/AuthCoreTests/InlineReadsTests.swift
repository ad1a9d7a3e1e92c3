import Foundation
import GRDB
import Synchronization
import Testing

@testable import SQLiteSupport

/// The hot reads on the calling thread: they see what was committed, and they never wait for
/// one of their connections or for a lock, because a request thread that waits could wait on
/// work queued behind itself.
struct InlineReadsTests {
    @Test func aReadSeesWhatWasLastCommitted() async throws {
        let database = try WALFile()
        defer { database.remove() }
        // No pool to fall back on: the inline connections answer, or the read fails.
        let closed = try DatabaseQueue()
        try closed.close()
        let reads = try InlineReads(path: database.path, count: 2, configuration: Configuration(), pool: closed)
        defer { try? reads.close() }
        #expect(try await reads.read(WALFile.count) == 0)
        try await database.pool.write { try $0.execute(sql: "INSERT INTO t VALUES (1)") }
        #expect(try await reads.read(WALFile.count) == 1)
    }

    @Test func aFileInMemoryIsReadInlineThoughItsFileSystemCantSayWhatIsCached() async throws {
        // tmpfs answers RWF_NOWAIT with EOPNOTSUPP; its files are memory, never a disk.
        let database = try WALFile(in: URL(fileURLWithPath: "/dev/shm"))
        defer { database.remove() }
        try await database.pool.write { try $0.execute(sql: "INSERT INTO t VALUES (1)") }
        let closed = try DatabaseQueue()
        try closed.close()
        let reads = try InlineReads(path: database.path, count: 1, configuration: Configuration(), pool: closed)
        defer { try? reads.close() }
        #expect(try await reads.read(WALFile.count) == 1)
    }

    @Test func aReadThatFindsEveryConnectionBusyGoesToThePoolInsteadOfWaiting() async throws {
        let database = try WALFile()
        defer { database.remove() }
        let reads = try InlineReads(path: database.path, count: 1, configuration: Configuration(), pool: database.pool)
        defer { try? reads.close() }
        let (holding, holds) = AsyncStream<Void>.makeStream()
        let release = DispatchSemaphore(value: 0)
        let gaveUp = Mutex(false)
        // A thread of its own holds the one connection until this test's read is done (or 10 s).
        Thread {
            reads.connections[0].queue.withLock { _ in
                holds.yield()
                let timedOut = release.wait(timeout: .now() + 10) == .timedOut
                gaveUp.withLock { $0 = timedOut }
            }
        }.start()
        for await _ in holding { break }
        #expect(try await reads.read(WALFile.count) == 0)
        release.signal()
        #expect(gaveUp.withLock { $0 } == false, "the read waited for the held connection")
    }

    @Test func aReadThatSQLiteAnswersBusyGoesToThePoolInsteadOfWaiting() async throws {
        // The pool stands for the database's other readers; here it is another file, with two rows.
        let other = try await WALFile.withTwoRows()
        defer { other.remove() }
        // A database in rollback-journal mode, where a writer's exclusive lock keeps readers out.
        let path = other.directory.appendingPathComponent("journal.sqlite").path
        let locker = try await other.emptyNeighbour(at: path)
        var waiting = Configuration()
        waiting.busyMode = .timeout(10)
        // Told to wait as the pool does: the inline connection must still never wait.
        let reads = try InlineReads(path: path, count: 1, configuration: waiting, pool: other.pool)
        defer { try? reads.close() }

        // In exclusive locking mode a connection keeps its write lock after writing, until it
        // goes back to normal mode and touches the file again.
        try await locker.writeWithoutTransaction {
            try $0.execute(sql: "PRAGMA locking_mode = EXCLUSIVE; INSERT INTO t VALUES (1)")
        }
        let unlock: @Sendable () async throws -> Void = {
            try await locker.writeWithoutTransaction {
                try $0.execute(sql: "PRAGMA locking_mode = NORMAL; SELECT count(*) FROM t")
            }
        }
        let unlockedAnyway = Task {  // after 5 s, so that a read that waits ends (with the wrong answer)
            try await Task.sleep(for: .seconds(5))
            try await unlock()
        }
        #expect(try await reads.read(WALFile.count) == 2, "the read waited for the lock instead of going to the pool")
        unlockedAnyway.cancel()
        try await unlock()
    }

    @Test func aReadOfPagesNotInThePageCacheGoesToThePoolInsteadOfWaitingForTheDisk() async throws {
        // The pool stands for the database's other readers; here it is another file, with two rows.
        let other = try await WALFile.withTwoRows()
        defer { other.remove() }
        // A file of its own, with no rows, whose pages then leave the system's page cache.
        let path = other.directory.appendingPathComponent("cold.sqlite").path
        try await other.emptyNeighbour(at: path).close()
        let reads = try InlineReads(path: path, count: 1, configuration: Configuration(), pool: other.pool)
        defer { try? reads.close() }
        // A read of a missing page with RWF_NOWAIT starts the kernel's readahead without waiting
        // for it; on a fast disk that readahead sometimes ends before the kernel looks again, and
        // the page is there after all. So each try drops the pages again, and one of a few must go
        // to the pool: a read that waited for the disk would never.
        var counts: [Int] = []
        for _ in 0..<5 where counts.last != 2 {
            #expect(try await leavesThePageCache(path), "the file's pages stayed in the page cache")
            counts.append(try await reads.read(WALFile.count))
        }
        #expect(counts.last == 2, "the reads waited for the disk instead of going to the pool: \(counts)")
        // Once the pages are back in the page cache, the file's own connection answers again.
        #expect(try await coldCount(path) == 0)
        #expect(try await reads.read(WALFile.count) == 0)
    }

    /// Drops the file at `path` from the system's page cache and checks that none of its pages is
    /// left (`mincore`). The kernel skips a page it can't drop at that moment (a locked one), so
    /// this tries again, up to a second in all.
    private func leavesThePageCache(_ path: String) async throws -> Bool {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        let size = Int(lseek(descriptor, 0, SEEK_END))
        let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
        guard size > 0, fsync(descriptor) == 0,
            let mapping = mmap(nil, size, PROT_READ, MAP_SHARED, descriptor, 0), mapping != MAP_FAILED
        else { return false }
        defer { munmap(mapping, size) }
        var residency = [UInt8](repeating: 0, count: (size + pageSize - 1) / pageSize)
        for _ in 0..<100 {
            guard posix_fadvise(descriptor, 0, 0, POSIX_FADV_DONTNEED) == 0,
                mincore(mapping, size, &residency) == 0
            else { return false }
            if residency.allSatisfy({ $0 & 1 == 0 }) { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return false
    }

    /// Counts `t`'s rows in the file at `path` through a connection of its own, which may wait
    /// for the disk (and so brings the file's pages back into the page cache).
    private func coldCount(_ path: String) async throws -> Int {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try await queue.read(WALFile.count)
    }
}

/// A WAL database file with one table `t`, its pool, and its folder (in `parent`).
private struct WALFile {
    let directory: URL
    let path: String
    let pool: DatabasePool

    init(in parent: URL = FileManager.default.temporaryDirectory) throws {
        directory = parent.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appendingPathComponent("reads.sqlite").path
        pool = try DatabasePool(path: path)
        try pool.write { try $0.execute(sql: "CREATE TABLE t (n INTEGER)") }
    }

    /// A WAL file whose `t` holds two rows.
    static func withTwoRows() async throws -> WALFile {
        let file = try WALFile()
        try await file.pool.write { try $0.execute(sql: "INSERT INTO t VALUES (1), (2)") }
        return file
    }

    /// A database in rollback-journal mode at `path` (in this file's folder) with an empty `t`.
    func emptyNeighbour(at path: String) async throws -> DatabaseQueue {
        let queue = try DatabaseQueue(path: path)
        try await queue.write { try $0.execute(sql: "CREATE TABLE t (n INTEGER)") }
        return queue
    }

    static func count(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT count(*) FROM t") ?? 0
    }

    func remove() {
        try? pool.close()
        try? FileManager.default.removeItem(at: directory)
    }
}
