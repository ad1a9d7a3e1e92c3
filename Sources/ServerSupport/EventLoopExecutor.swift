import Foundation
import NIOCore
import NIOPosix

/// Swift Concurrency's global executor replaced by NIO's event loops (NIO's own advice for
/// servers): a request no longer hops from its connection's event loop to the concurrency pool
/// and back, which was the largest cost of a request left. Nothing a task runs may wait for the
/// disk: SQLite's inline reads take only what the page cache holds, and file writes go to NIO's
/// blocking-work threads.
///
/// Two ways to run a job there, chosen by the database (measured, docs/PERFORMANCE.md):
/// - NIO's `unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor` runs each
///   job as if isolated to its loop's serial executor. The runtime can't leave such an executor
///   for nonisolated code on the same thread, so every hop a task makes into a nonisolated async
///   function, or back, is queued on the loop again: 38 for a listings page on SQLite, about 340
///   on PostgreSQL (seven for each row of postgres-nio's row sequence).
/// - Here, a job runs on the generic executor, as the concurrency pool would run it, and those
///   hops continue on the spot: a listings page on PostgreSQL +23 %, `GET /v1/me` +9 %.
///
/// On SQLite the first is the faster by 9 %, the difference spread evenly over SQLite, the
/// runtime and the kernel: most likely because its queued hops make a loop advance all of its
/// requests a step at a time, which keeps each step's code and data in the caches.
public enum EventLoopExecutor {
    /// Installs the event loops, running jobs on the generic executor when `generic` (the
    /// PostgreSQL stores); false when the runtime offers no hook (tasks then run on the pool).
    /// Call it before another thread can start a task.
    public static func install(generic: Bool) -> Bool {
        guard generic else { return NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor() }
        guard MemoryLayout<UnownedSerialExecutor>.size == MemoryLayout<(Int, Int)>.size,
            let symbol = dlsym(dlopen(nil, RTLD_NOW), "swift_task_enqueueGlobal_hook")
        else { return false }
        let slot = symbol.assumingMemoryBound(to: UnsafeRawPointer?.self)
        guard slot.pointee == nil else { return false }
        slot.pointee = unsafeBitCast(hook, to: UnsafeRawPointer.self)
        return true
    }

    /// What the runtime calls instead of enqueueing `job` on the pool (`original` would).
    private static let hook: @convention(thin) (UnownedJob, _ original: @convention(thin) (UnownedJob) -> Void) -> Void = {
        job, _ in
        // `any()` is the calling thread's own loop when it runs on one: no thread switch.
        MultiThreadedEventLoopGroup.singleton.any().execute { job.runSynchronously(on: genericExecutor) }
    }

    /// The runtime's generic executor: both of its words zero, as the runtime represents it (no
    /// public API names it).
    private static let genericExecutor = unsafeBitCast((0, 0), to: UnownedSerialExecutor.self)
}
