import Synchronization

/// Waits that end at a deadline or at their task's cancellation, all kept by one task that looks
/// at them every `tick`, instead of a timer each: arming and cancelling a timer for every
/// statement (a `Task.sleep`, so a Dispatch timer) cost about a tenth of a listings page on
/// PostgreSQL. A wait ends up to one `tick` after its deadline.
final class Deadlines: Sendable {
    /// A wait from its start until it ends (when its entry is removed).
    private enum Entry {
        /// Not yet holding its continuation.
        case starting
        case waiting(until: ContinuousClock.Instant, CheckedContinuation<Bool, Never>)
        /// Its task was cancelled while it was starting.
        case cancelled
    }

    private struct State {
        var next = 0
        var entries: [Int: Entry] = [:]
    }

    private let state = Mutex(State())
    private let ticker = Mutex<Task<Void, Never>?>(nil)

    init(tick: Duration = .milliseconds(50)) {
        let task = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: tick)
                guard let self else { return }
                self.endWaits(due: ContinuousClock.now)
            }
        }
        ticker.withLock { $0 = task }
    }

    /// Stops the ticking task; waits still registered end when their tasks are cancelled.
    func stop() {
        ticker.withLock { $0?.cancel() }
    }

    /// Waits until `timeout` has passed (true) or the calling task is cancelled (false).
    func passed(_ timeout: Duration) async -> Bool {
        let id = state.withLock { state in
            state.next += 1
            state.entries[state.next] = .starting
            return state.next
        }
        let deadline = ContinuousClock.now + timeout
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let cancelledFirst = state.withLock { state in
                    if case .cancelled = state.entries[id] {
                        state.entries[id] = nil
                        return true
                    }
                    state.entries[id] = .waiting(until: deadline, continuation)
                    return false
                }
                if cancelledFirst { continuation.resume(returning: false) }
            }
        } onCancel: {
            let waiting: CheckedContinuation<Bool, Never>? = state.withLock { state in
                switch state.entries[id] {
                case .waiting(_, let continuation):
                    state.entries[id] = nil
                    return continuation
                case .starting:
                    state.entries[id] = .cancelled
                    return nil
                case .cancelled, nil:  // nil: it has ended
                    return nil
                }
            }
            waiting?.resume(returning: false)
        }
    }

    private func endWaits(due now: ContinuousClock.Instant) {
        let due: [CheckedContinuation<Bool, Never>] = state.withLock { state in
            var due: [CheckedContinuation<Bool, Never>] = []
            for (id, entry) in state.entries {
                guard case .waiting(let deadline, let continuation) = entry, deadline <= now else { continue }
                state.entries[id] = nil
                due.append(continuation)
            }
            return due
        }
        for continuation in due { continuation.resume(returning: true) }
    }
}
