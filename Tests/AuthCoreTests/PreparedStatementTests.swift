import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import Testing

@testable import PostgresSupport

/// A `PreparedStatement` is prepared on a connection when its task runs on the connection's event
/// loop (as a server's requests do), and sent unnamed elsewhere; either way it answers the same,
/// and on a connection the server closed it fails as unavailable instead of waiting for ever.
@Suite(.enabled(if: PostgresTestDatabases.adminURL != nil, "AUTH_TEST_POSTGRES_URL names a test cluster"))
struct PreparedStatementTests {
    @Test(.timeLimit(.minutes(1))) func onItsConnectionsLoopAStatementIsPreparedOnceAndAnswersAsUnnamed() async throws {
        let pool = try await openPool()
        defer { pool.close() }
        let unnamed = try await pool.connection { db in
            (try await db.rows(Doubled(value: 21)).map { try $0.decode(Int.self) }, try await preparedNames(db))
        }
        #expect(unnamed.0 == [42])
        #expect(unnamed.1.isEmpty, "off the event loops a statement is sent unnamed")
        let prepared = try await onFirstLoop {
            try await pool.connection { db in
                let first = try await db.rows(Doubled(value: 21)).map { try $0.decode(Int.self) }
                let second = try await db.rows(Doubled(value: 4)).map { try $0.decode(Int.self) }
                return (first + second, try await preparedNames(db))
            }
        }
        #expect(prepared.0 == [42, 8])
        #expect(prepared.1 == [Doubled.name])
    }

    @Test(.timeLimit(.minutes(1))) func onAConnectionTheServerClosedAPreparedStatementFailsAsUnavailable() async throws {
        let pool = try await openPool()
        defer { pool.close() }
        try await onFirstLoop {
            await #expect(throws: PostgresUnavailable.self) {
                try await pool.connection { db in
                    _ = try await db.rows(Doubled(value: 1))
                    try await terminate(db, from: pool)
                    _ = try await db.rows(Doubled(value: 2))
                }
            }
            let after = try await pool.connection { try await $0.rows(Doubled(value: 3)).first?.decode(Int.self) }
            #expect(after == 6, "the pool connects again")
        }
    }

    /// A statement prepared before a migration changed its result's type is refused by
    /// PostgreSQL on that connection for good: the request is told to retry, and the pool's
    /// next connection prepares it afresh.
    @Test(.timeLimit(.minutes(1))) func aStatementAMigrationOutdatedFailsAsUnavailableOnceThenRunsOnANewConnection()
        async throws
    {
        let pool = try await openPool()
        defer { pool.close() }
        try await pool.connection { db in
            try await db.run("CREATE TABLE t (a int)")
            try await db.run("INSERT INTO t VALUES (1)")
        }
        try await onFirstLoop {
            #expect(try await pool.connection { try await $0.rows(ColumnA()).count } == 1)
            try await pool.connection { try await $0.run("ALTER TABLE t ALTER COLUMN a TYPE numeric") }
            await #expect(throws: PostgresUnavailable.self) { try await pool.connection { try await $0.rows(ColumnA()) } }
            #expect(try await pool.connection { try await $0.rows(ColumnA()).count } == 1)
        }
    }

    /// Off the event loops (the command line, tests) leases spread over every loop's connections.
    @Test(.timeLimit(.minutes(1))) func offTheLoopsEveryConnectionOfThePoolIsUsed() async throws {
        let pool = try await openPool()
        defer { pool.close() }
        let loops = Array(MultiThreadedEventLoopGroup.singleton.makeIterator()).count
        // Each holds its connection half a second: together they need every connection.
        let backends = try await withThrowingTaskGroup(of: Int32?.self) { group in
            for _ in 0..<loops {
                group.addTask {
                    try await pool.connection { db in
                        let backend = try await db.value("SELECT pg_backend_pid()", as: Int32.self)
                        try await db.run("SELECT pg_sleep(0.5)")
                        return backend
                    }
                }
            }
            return try await group.reduce(into: Set<Int32?>()) { $0.insert($1) }
        }
        #expect(backends.count == loops, "as many connections at once as the pool holds")
    }

    /// One connection per loop: the first loop's is the one a task off the loops leases too.
    private func openPool() async throws -> PostgresPool {
        let loops = Array(MultiThreadedEventLoopGroup.singleton.makeIterator()).count
        return try await PostgresPool.open(
            PostgresTestDatabases.create(), poolSize: loops, timeout: .seconds(10), logger: Logger(label: "test.prepared"))
    }

    private func preparedNames(_ db: Connection) async throws -> [String] {
        try await db.rows("SELECT name FROM pg_prepared_statements ORDER BY name").map { try $0.decode(String.self) }
    }

    /// Runs `body` with its task's jobs on the first event loop, as a server runs its requests.
    private func onFirstLoop<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        let loop = try #require(Array(MultiThreadedEventLoopGroup.singleton.makeIterator()).first)
        return try await withTaskExecutorPreference(LoopExecutor(loop: loop), operation: body)
    }
}

/// `value` doubled by the database.
private struct Doubled: PreparedStatement {
    static let name = "test_doubled"
    static let sql = "SELECT $1::int8 * 2"
    let value: Int

    func makeBindings() -> PostgresBindings { .init(value) }
}

/// The one column of table `t`.
private struct ColumnA: PreparedStatement {
    static let name = "test_column_a"
    static let sql = "SELECT a FROM t"

    func makeBindings() -> PostgresBindings { PostgresBindings() }
}

/// Runs a task's jobs on one event loop.
private final class LoopExecutor: TaskExecutor {
    let loop: any EventLoop

    init(loop: any EventLoop) {
        self.loop = loop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
