import Synchronization

/// Waits that end at a deadline or at their task's cancellation, all kept by one task that looks
/// at them every `tick`, instead of a timer each: arming and cancelling a timer for every
/// statement (a `Task.sleep`, so a Dispatch timer) cost about a tenth of a listings page on
/// PostgreSQL. A wait ends up to one `tick` after its deadline.
final class Deadlines: Sendable {
    private struct Wait {
        let deadline: ContinuousClock.Instant
        let continuation: CheckedContinuation<Bool, Never>
    }

    private struct State {
        var next = 0
        var waits: [Int: Wait] = [:]
    }

    private let state = Mutex(State())
    private let ticker = Mutex<Task<Void, Never>?>(nil)

    init(tick: Duration = .milliseconds(50)) {
        let task = Task.detached { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: tick)
                self?.endWaits(due: ContinuousClock.now)
            }
        }
        ticker.withLock { $0 = task }
    }

    deinit {
        stop()
    }

    /// Stops the ticking task; a wait still going on then ends only when its task is cancelled.
    func stop() {
        ticker.withLock { $0?.cancel() }
    }

    /// Waits until `timeout` has passed (true) or the calling task is cancelled (false).
    func passed(_ timeout: Duration) async -> Bool {
        let id = state.withLock { state in
            state.next += 1
            return state.next
        }
        let deadline = ContinuousClock.now + timeout
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                // Registered and checked for cancellation under one lock: a cancellation after
                // the check finds the wait registered.
                let cancelled = state.withLock { state in
                    guard !Task.isCancelled else { return true }
                    state.waits[id] = Wait(deadline: deadline, continuation: continuation)
                    return false
                }
                if cancelled { continuation.resume(returning: false) }
            }
        } onCancel: {
            state.withLock { $0.waits.removeValue(forKey: id) }?.continuation.resume(returning: false)
        }
    }

    private func endWaits(due now: ContinuousClock.Instant) {
        let due = state.withLock { state in
            let ids = state.waits.filter { $0.value.deadline <= now }.keys
            return ids.compactMap { state.waits.removeValue(forKey: $0)?.continuation }
        }
        for continuation in due { continuation.resume(returning: true) }
    }
}
