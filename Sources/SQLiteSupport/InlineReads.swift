import CSQLiteReads
import Foundation
import GRDB
import Synchronization

/// Short reads of a SQLite file that run on the calling task's thread, outside a transaction,
/// instead of hopping to a reader's queue and back (the largest cost of `GET /v1/me` and of a
/// listings page once the query was cheap).
///
/// It holds a few read-only connections of its own, each behind a lock that is only ever
/// *tried*: a read takes the first free connection, and when none is free, or SQLite answers
/// busy, it goes to the pool's readers as any other read does. So a caller never waits for a
/// connection, and a connection is held only while its read runs on the thread that took it,
/// never across a suspension: no task can wait on another for one. (Waiting on GRDB's pool
/// from a request thread could: its readers are held by async reads until their tasks resume
/// on those very threads.)
///
/// Nor does it wait for the disk: the servers run their tasks on the event loops, and an
/// inline read takes only what the system's page cache already holds (`RWF_NOWAIT`). A read
/// that would have to wait for the disk fails at once inside SQLite, and the pool's readers,
/// on threads of their own, read it instead. (Such a read still starts the kernel's readahead
/// without waiting for it; on a fast disk that readahead may end before the kernel looks again,
/// and the read is then answered after all.) Once a file system answers that it can't tell
/// what it holds (NFS, say), every read goes to the pool.
public final class InlineReads: Sendable {
    let connections: [Connection]
    private let pool: any DatabaseReader

    /// `count` read-only connections to the WAL database at `path`, prepared by `configuration`
    /// (made read-only here, and told never to wait on a lock), and `pool` for a read that finds
    /// them all busy.
    public init(path: String, count: Int, configuration: Configuration, pool: any DatabaseReader) throws {
        guard sqlite_reads_available() == 1 else {
            // Without page-cache-only reads, an inline read could wait for the disk: the pool reads.
            connections = []
            self.pool = pool
            return
        }
        var configuration = configuration
        configuration.readonly = true
        configuration.busyMode = .immediateError
        connections = try (0..<count).map { _ in
            Connection(queue: try DatabaseQueue(path: path, configuration: configuration))
        }
        self.pool = pool
    }

    /// No connections of its own: every read goes to `pool` (an in-memory database, in tests).
    public init(pool: any DatabaseReader) {
        connections = []
        self.pool = pool
    }

    /// Runs `body` outside a transaction, so each statement sees the database as last
    /// committed: for a read of one statement.
    nonisolated(nonsending) public func read<T: Sendable>(
        _ body: @escaping @Sendable (Database) throws -> T
    ) async throws -> T {
        // A file system that can't read from the cache only (NFS, say) turns the inline reads off.
        attempts: for connection in connections where sqlite_reads_available() == 1 {
            let attempt: Result<T, any Error>? = connection.queue.withLockIfAvailable { queue in
                Result { try queue.unsafeRead { db in try Self.fromCacheOnly { try body(db) } } }
            }
            switch attempt {
            case nil: continue
            case .success(let value): return value
            case .failure(let error as DatabaseError) where Self.lockStates.contains(error.resultCode): continue
            // Not in the page cache (or a real failure, which the pool's read reports): the other
            // connections would find the same pages missing.
            case .failure(let error as DatabaseError) where error.resultCode == .SQLITE_IOERR: break attempts
            case .failure(let error): throw error
            }
        }
        return try await pool.unsafeRead(body)
    }

    /// What SQLite answers a connection that would have to wait for a lock, or for the WAL index
    /// to settle: another connection may not, and the pool's readers wait their turn.
    private static let lockStates: [ResultCode] = [.SQLITE_BUSY, .SQLITE_LOCKED, .SQLITE_PROTOCOL]

    /// Runs `body` with this thread's SQLite reads limited to what the page cache holds.
    private static func fromCacheOnly<T>(_ body: () throws -> T) rethrows -> T {
        sqlite_reads_set_no_wait(1)
        defer { sqlite_reads_set_no_wait(0) }
        return try body()
    }

    /// How a database's `total` readers are shared: one per core for the inline reads (the
    /// servers run their tasks on an event loop per core), leaving the pool at least two; the
    /// pool gets the rest. So every event loop may be inside a read at once, for as long as the
    /// read takes on the CPU (never on the disk). One per core but one cost a 2-core server a
    /// fifth of a listings page's throughput: half its reads went back to the pool's hop.
    public static func share(of total: Int) -> (inline: Int, pool: Int) {
        let inline = max(1, min(ProcessInfo.processInfo.activeProcessorCount, total - 2))
        return (inline, total - inline)
    }

    /// Closes its own connections (not the pool), all of them even if one fails.
    public func close() throws {
        var failure: (any Error)?
        for connection in connections {
            do { try connection.queue.withLock { try $0.close() } } catch { failure = failure ?? error }
        }
        if let failure { throw failure }
    }

    /// A connection and its lock.
    final class Connection: Sendable {
        let queue: Mutex<DatabaseQueue>

        init(queue: DatabaseQueue) {
            self.queue = Mutex(queue)
        }
    }
}
