import NIOPosix

/// Work that may wait for the disk (a file read, an `fsync`), run on NIO's blocking-work
/// threads: the servers' tasks run on the event loops, which must never wait for it.
public enum BlockingWork {
    /// `body`'s result, computed on a blocking-work thread.
    public static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await NIOThreadPool.singleton.runIfActive(body)
    }
}
