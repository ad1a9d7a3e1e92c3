import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOPosix

/// Log lines bound for a file descriptor (stderr), written by a thread of their own, so a
/// request never waits on a terminal, the journal or a full pipe: the logging call only
/// appends to a buffer. Lines come out whole and in order, batched when they come fast;
/// `flush()` (at shutdown, and before the process exits) writes every line logged before it.
/// Should the descriptor stay stuck while megabytes of lines pile up, loggers wait for it
/// rather than lines being dropped.
public final class LogSink: TextOutputStream, @unchecked Sendable {  // `buffer` is guarded by `pending`
    /// The sink for stderr, which both servers log to.
    public static let standardError = LogSink(descriptor: STDERR_FILENO)

    /// Bytes that may wait before loggers wait for the writer.
    static let backlogLimit = 4 << 20

    private let descriptor: Int32
    /// Lines not yet taken by a writer; the value is whether there are any.
    private let pending = ConditionLock<Bool>(value: false)
    private var buffer: [UInt8] = []
    /// Held while taking lines and writing them, so batches reach the descriptor in order.
    private let writing = NIOLock()

    /// A sink and its writer thread, which keeps it alive as long as the process runs.
    init(descriptor: Int32) {
        self.descriptor = descriptor
        let thread = Thread { [self] in
            while true { self.writePending(waiting: true) }
        }
        thread.name = "log-writer"
        thread.start()
    }

    /// How long the writer lets lines gather after the first one: one write for many lines,
    /// and one wake-up of the writer per batch rather than per line.
    static let batchWindow: useconds_t = 2_000

    /// Appends `string` (one or more whole lines) for the writer.
    public func write(_ string: String) {
        append(string.utf8)
    }

    /// Appends `line`'s UTF-8 bytes; one at `error` and above is written out before this
    /// returns, so a crash or a kill right after an error loses none of the lines that explain
    /// it. Except on an event loop, which must not wait for the descriptor: there the writer
    /// takes it within its batch window (2 ms), as any other line.
    func write(_ line: [UInt8], level: Logger.Level) {
        append(line)
        if level >= .error, MultiThreadedEventLoopGroup.currentEventLoop == nil { flush() }
    }

    private func append(_ bytes: some Collection<UInt8>) {
        pending.lock()
        let wasEmpty = buffer.isEmpty
        buffer.append(contentsOf: bytes)
        let overLimit = buffer.count > Self.backlogLimit
        // Only the first line of a batch wakes the writer: signalling on every line was a
        // tenth of a `/healthz`.
        if wasEmpty { pending.unlock(withValue: true) } else { pending.unlock() }
        if overLimit { flush() }
    }

    /// Writes every line appended so far before returning.
    public func flush() {
        writePending(waiting: false)
    }

    /// Takes the pending lines (first waiting for some if `waiting`) and writes them out.
    private func writePending(waiting: Bool) {
        if waiting {
            pending.lock(whenValue: true)
            pending.unlock()
            usleep(Self.batchWindow)
        }
        writing.withLock {
            pending.lock()
            let lines = buffer
            buffer.removeAll(keepingCapacity: true)
            pending.unlock(withValue: false)
            writeAll(lines)
        }
    }

    /// Writes `bytes` entirely, retrying after interruptions and short writes; gives up on the
    /// rest only if the descriptor fails for good (nowhere is left to say so).
    private func writeAll(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = Foundation.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                if written > 0 {
                    offset += written
                } else if written < 0, errno == EINTR || errno == EAGAIN {
                    if errno == EAGAIN { usleep(1_000) }
                } else {
                    return
                }
            }
        }
    }
}
