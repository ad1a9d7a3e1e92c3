import NIOCore
import NIOPosix
import PostgresNIO

/// A pool's connections, split among NIO's event loops. A connection's reads and writes run on
/// its loop; a task on that loop (a server's request: servers run their tasks on the event
/// loops) leases one of that loop's connections, so its statements are sent and answered on the
/// thread that asked, without crossing to another thread and back, and can be prepared
/// (`PreparedStatement`). Off the loops (the command line, tests) a task leases the first loop's.
struct LoopClients: Sendable {
    /// A client per loop, as long as there are connections for them; with fewer connections
    /// than loops, the loops without a client of their own share those of the others.
    private let clients: [PostgresClient]
    private let loops: [any EventLoop]

    /// At most `poolSize` connections in all, split as evenly as can be.
    init(poolSize: Int, logger: Logger, configuration: (_ connections: Int) -> PostgresClient.Configuration) {
        loops = Array(MultiThreadedEventLoopGroup.singleton.makeIterator())
        let count = max(1, min(loops.count, poolSize))
        clients = (0..<count).map { [loops] index in
            let share = max(1, poolSize / count + (index < poolSize % count ? 1 : 0))
            return PostgresClient(configuration: configuration(share), eventLoopGroup: loops[index], backgroundLogger: logger)
        }
    }

    /// Runs every client until the calling task is cancelled.
    func run() async {
        await withDiscardingTaskGroup { group in
            for client in clients { group.addTask { await client.run() } }
        }
    }

    /// The client of the loop the caller runs on, else the first.
    var current: PostgresClient {
        if clients.count > 1, let loop = MultiThreadedEventLoopGroup.currentEventLoop,
            let index = loops.firstIndex(where: { $0 === loop })
        {
            return clients[index % clients.count]
        }
        return clients[0]
    }
}
