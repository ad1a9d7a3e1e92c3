import Logging
import PostgresNIO
import Testing

@testable import PostgresSupport

/// A connection the server closes under a store method: the method fails as unavailable (503),
/// never waits for ever. postgres-nio drops a statement written after its connection closed,
/// so these hung before `Connection.rows` checked for it.
@Suite(.enabled(if: PostgresTestDatabases.adminURL != nil, "AUTH_TEST_POSTGRES_URL names a test cluster"))
struct PostgresPoolTests {
    @Test(.timeLimit(.minutes(1))) func aStatementOnAConnectionTheServerClosedFailsAsUnavailable() async throws {
        let pool = try await openPool()
        defer { pool.close() }
        await #expect(throws: PostgresUnavailable.self) {
            try await pool.connection { connection in
                try await terminate(connection, from: pool)
                try await connection.run("SELECT 1")
            }
        }
        #expect(try await pool.connection { try await $0.value("SELECT 1", as: Int.self) } == 1)
    }

    @Test(.timeLimit(.minutes(1))) func aCommitOnAConnectionTheServerClosedFailsAsUnavailable() async throws {
        let pool = try await openPool()
        defer { pool.close() }
        await #expect(throws: PostgresUnavailable.self) {
            try await pool.transaction { connection in
                try await terminate(connection, from: pool)
            }
        }
    }

    @Test(.timeLimit(.minutes(1))) func anOperationThatGetsNoConnectionInTimeFailsAsUnavailableWithoutWaitingForOne()
        async throws
    {
        let pool = try await PostgresPool.open(
            PostgresTestDatabases.create(), poolSize: 1, timeout: .seconds(10), leaseTimeout: .milliseconds(300),
            logger: Logger(label: "test.pool"))
        defer { pool.close() }
        let (holding, holds) = AsyncStream<Void>.makeStream()
        let holder = Task {
            try await pool.connection { connection in
                holds.yield()
                try await connection.run("SELECT pg_sleep(3)")
            }
        }
        for await _ in holding { break }
        let started = ContinuousClock.now
        await #expect(throws: PostgresUnavailable.self) { try await pool.connection { try await $0.run("SELECT 1") } }
        let waited = ContinuousClock.now - started
        try await holder.value
        #expect(waited < .seconds(3), "it waited for the connection to be free instead of its lease time")
    }

    private func openPool() async throws -> PostgresPool {
        try await PostgresPool.open(
            PostgresTestDatabases.create(), poolSize: 2, timeout: .seconds(10), logger: Logger(label: "test.pool"))
    }
}

/// Has the server end `connection`'s session, and waits until the driver has seen it closed.
func terminate(_ connection: Connection, from pool: PostgresPool) async throws {
    let backend = try #require(try await connection.value("SELECT pg_backend_pid()", as: Int32.self))
    try await pool.connection { try await $0.run("SELECT pg_terminate_backend(\(backend))") }
    while !connection.base.isClosed { try await Task.sleep(for: .milliseconds(10)) }
}
