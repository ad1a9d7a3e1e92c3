import NIOCore
import NIOPosix
import PostgresNIO
import Synchronization

/// A pool's connections, split among NIO's event loops. A connection's reads and writes run on
/// its loop; a task on that loop (a server's request: servers run their tasks on the event
/// loops) leases one of that loop's connections, so its statements are sent and answered on the
/// thread that asked, without crossing to another thread and back, and can be prepared
/// (`PreparedStatement`). When all of its loop's connections are taken while another loop has
/// one free, or the task runs on no loop (the command line, tests), it leases from the client
/// with the most left: no connection sits idle while a request waits for one.
final class LoopClients: Sendable {
    /// A client per loop, as long as there are connections for them; with fewer connections
    /// than loops, the loops without a client of their own share those of the others.
    private let clients: [PostgresClient]
    /// How many connections each client may open.
    private let shares: [Int]
    /// How many of each client's connections are leased.
    private let leased: Mutex<[Int]>
    private let loops: [any EventLoop]

    /// At most `poolSize` connections in all, split as evenly as can be.
    init(poolSize: Int, logger: Logger, configuration: (_ connections: Int) -> PostgresClient.Configuration) {
        loops = Array(MultiThreadedEventLoopGroup.singleton.makeIterator())
        let count = max(1, min(loops.count, poolSize))
        shares = (0..<count).map { max(1, poolSize / count + ($0 < poolSize % count ? 1 : 0)) }
        clients = (0..<count).map { [loops, shares] index in
            PostgresClient(configuration: configuration(shares[index]), eventLoopGroup: loops[index], backgroundLogger: logger)
        }
        leased = Mutex(Array(repeating: 0, count: count))
    }

    /// Runs every client until the calling task is cancelled.
    func run() async {
        await withDiscardingTaskGroup { group in
            for client in clients { group.addTask { await client.run() } }
        }
    }

    /// How many clients there are, numbered from 0.
    var count: Int { clients.count }

    /// Runs `body` on a leased connection, chosen as above but not from the client `avoiding`
    /// (when there is another); `chosen` learns the client it is leased from.
    func withConnection<Result>(
        avoiding: Int? = nil, chosen: (Int) -> Void = { _ in }, _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        let index = lease(avoiding: avoiding)
        chosen(index)
        defer { leased.withLock { $0[index] -= 1 } }
        return try await clients[index].withConnection(body)
    }

    /// The client to lease from, counted as leased.
    private func lease(avoiding: Int?) -> Int {
        let own = MultiThreadedEventLoopGroup.currentEventLoop.flatMap { loop in
            loops.firstIndex { $0 === loop }.map { $0 % clients.count }
        }.flatMap { $0 == avoiding ? nil : $0 }
        return leased.withLock { leased in
            let only = leased.count == 1
            let candidates = leased.indices.lazy.filter { $0 != avoiding || only }
            let freest = candidates.max { shares[$0] - leased[$0] < shares[$1] - leased[$1] }!
            // Its own loop's client unless that one is full and another is not: it waits there.
            let index = if let own, leased[own] < shares[own] || leased[freest] >= shares[freest] { own } else { freest }
            leased[index] += 1
            return index
        }
    }
}
