import Logging
import PostgresNIO
import Synchronization

/// A pool of connections to one PostgreSQL database, shared by a store's methods. A method waits
/// at most `leaseTimeout` for a connection; a server that can't be reached, or that drops the
/// connection mid-statement, surfaces as `PostgresUnavailable` (the caller answers 503), and the
/// pool reconnects by itself when the server is back.
public struct PostgresPool: Sendable {
    let clients: LoopClients
    let running: Task<Void, Never>
    /// The logger statements run with (a URL's password is never in it).
    public let logger: Logger
    let leaseTimeout: Duration
    /// Raised by a failure to reach the database, lowered by the next success: while it is up,
    /// a method waits only `outageLeaseTimeout`, so an outage is answered at once.
    let outage = Flag()
    static let outageLeaseTimeout = Duration.milliseconds(500)
    /// Where each lease waits out its time.
    let deadlines: Deadlines

    /// Connects to `url` with at most `poolSize` connections and runs `prepare` (the schema's
    /// migrations, say; by default a check that the server answers); gives up when that can't
    /// be done within `timeout`. A failure to reach the database, or of a statement, is one
    /// `PostgresStoreError`; any other error `prepare` throws (a refusal of its own) passes as it is.
    public static func open(
        _ url: PostgresDatabaseURL, poolSize: Int, timeout: Duration, leaseTimeout: Duration = .seconds(5),
        logger: Logger,
        prepare: @escaping @Sendable (PostgresPool) async throws -> Void = { try await $0.connection { try await $0.run("SELECT 1") } }
    ) async throws -> PostgresPool {
        let clients = LoopClients(poolSize: poolSize, logger: logger, configuration: url.clientConfiguration(poolSize:))
        let running = await start(clients)
        let deadlines = Deadlines()
        let pool = PostgresPool(
            clients: clients, running: running, logger: logger, leaseTimeout: leaseTimeout, deadlines: deadlines)
        // While the server may be starting, preparing waits for a connection as long as `timeout`.
        let preparing = PostgresPool(
            clients: clients, running: running, logger: logger, leaseTimeout: timeout, deadlines: deadlines)
        do {
            let prepared = try await withThrowingTaskGroup(of: Bool.self) { group in
                group.addTask { try await prepare(preparing); return true }
                group.addTask { try await Task.sleep(for: timeout); return false }
                defer { group.cancelAll() }
                return try await group.next() ?? false
            }
            guard prepared else { throw PostgresStoreError("no connection within \(timeout)") }
        } catch {
            pool.close()
            guard error is PostgresStoreError || error is PSQLError || PostgresUnavailable.isUnreachable(error) else { throw error }
            throw PostgresStoreError("cannot open database \(url): \(PostgresStoreError.reason(error))")
        }
        return pool
    }

    /// Runs `clients` in a task of its own (until cancelled), returning once it has begun.
    private static func start(_ clients: LoopClients) async -> Task<Void, Never> {
        let (begun, signal) = AsyncStream<Void>.makeStream()
        let running = Task {
            signal.finish()
            await clients.run()
        }
        for await _ in begun {}
        return running
    }

    /// Shuts the pool and its connections down.
    public func close() {
        running.cancel()
        deadlines.stop()
    }

    /// Runs `body` in a transaction (READ COMMITTED: each statement sees what committed before
    /// it, and a row locked with `FOR UPDATE` is read as its holder left it). Rolls back and
    /// rethrows `body`'s own error if it throws.
    public func transaction<T: Sendable>(_ body: (Connection) async throws -> T) async throws -> T {
        // Not postgres-nio's `withTransaction`: its BEGIN, COMMIT and ROLLBACK could hang on a
        // connection closing under them (see `Connection.rows`).
        try await connection { connection in
            try await connection.run("BEGIN")
            let result: T
            do {
                result = try await body(connection)
            } catch {
                try? await connection.run("ROLLBACK")
                throw error
            }
            try await connection.run("COMMIT")
            return result
        }
    }

    /// Runs `body` on a pooled connection, outside any transaction.
    ///
    /// A lease that finds no connection in time on one event loop's client is tried once on
    /// another's: `body` never ran. Each client reconnects after an outage on a backoff of its
    /// own, so for up to a second after the database is back one may serve while another has
    /// no connection yet.
    public func connection<T: Sendable>(_ body: (Connection) async throws -> T) async throws -> T {
        let first = Mutex<Int?>(nil)
        func attempt(avoiding: Int?, last: Bool) async throws -> T {
            try await leased(last: last) { lease in
                try await clients.withConnection(avoiding: avoiding, chosen: { index in first.withLock { $0 = $0 ?? index } }) {
                    try lease()
                    return try await body(Connection(base: $0, logger: logger))
                }
            }
        }
        do {
            return try await attempt(avoiding: nil, last: clients.count == 1)
        } catch is NoConnectionInTime {
            return try await attempt(avoiding: first.withLock { $0 }, last: true)
        }
    }

    /// Runs `operation` (this pool's methods), logging the database being out of reach and
    /// answering it with `refusal`: how a store tells its client 503, retry soon.
    public func answeringOutages<T>(with refusal: @autoclosure () -> any Error, _ operation: () async throws -> T)
        async throws -> T
    {
        do {
            return try await operation()
        } catch let error as PostgresUnavailable {
            logger.error("database unavailable: \(error)")
            throw refusal()
        }
    }

    /// Runs `operation`, which calls `lease()` once it holds a connection (and stops if that
    /// throws), giving up when it holds none within `leaseTimeout` (during an outage, within
    /// `outageLeaseTimeout`): with `PostgresUnavailable` on the `last` try, otherwise with
    /// `NoConnectionInTime`. Once it holds one it runs to its end: a statement is never cut off
    /// midway by this bound.
    private func leased<T: Sendable>(
        last: Bool, _ operation: (_ lease: @Sendable () throws -> Void) async throws -> T
    ) async throws -> T {
        let lease = Lease()
        let timeout = outage.isRaised ? Self.outageLeaseTimeout : leaseTimeout
        do {
            let result = try await withoutActuallyEscaping(operation) { operation in
                // The child runs it once while this task waits for it: never two tasks at once.
                let operation = UncheckedSendable(operation)
                return try await withThrowingTaskGroup(of: T?.self) { group in
                    group.addTask { try await operation.value(lease.take) }
                    group.addTask {
                        guard await deadlines.passed(timeout) else { throw CancellationError() }
                        guard lease.expire() else { return nil }
                        let error = NoConnectionInTime(timeout: timeout)
                        throw last ? PostgresUnavailable(error.description) : error
                    }
                    defer { group.cancelAll() }
                    while let result = try await group.next() {
                        if let result { return result }
                    }
                    throw PostgresUnavailable("the database operation ended without a result")
                }
            }
            outage.lower()
            return result
        } catch let error as NoConnectionInTime {
            outage.raise()
            throw error
        } catch let error where PostgresUnavailable.isUnreachable(error) {
            outage.raise()
            throw PostgresUnavailable(PostgresStoreError.reason(error))
        }
    }
}

/// No connection was leased within `timeout`, so the operation never ran: what `connection`
/// tries again on another client before it answers `PostgresUnavailable`.
struct NoConnectionInTime: Error, CustomStringConvertible {
    let timeout: Duration
    var description: String { "no database connection within \(timeout)" }
}

/// A value handed to a child task that alone uses it while its parent waits.
private struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// Whether an operation got its connection before its time ran out: one or the other, never
/// both, so an operation answered as timed out never goes on to write anything.
private final class Lease: Sendable {
    private let state = Atomic<Int>(0)  // 0 waiting, 1 taken, 2 expired

    /// Marks the connection taken; throws if the time ran out first (the transaction rolls back).
    @Sendable func take() throws {
        guard state.compareExchange(expected: 0, desired: 1, ordering: .acquiringAndReleasing).exchanged else {
            throw CancellationError()
        }
    }

    /// Marks the time run out, unless the connection was taken: whether it ran out.
    func expire() -> Bool {
        state.compareExchange(expected: 0, desired: 2, ordering: .acquiringAndReleasing).exchanged
    }
}

/// A yes or no that any task may set and read.
final class Flag: Sendable {
    private let raised = Atomic<Bool>(false)

    var isRaised: Bool { raised.load(ordering: .acquiring) }

    @Sendable func raise() {
        raised.store(true, ordering: .releasing)
    }

    func lower() {
        if isRaised { raised.store(false, ordering: .releasing) }
    }
}
