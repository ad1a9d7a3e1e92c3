import Synchronization

/// Makes every answer of one kind take as long as its slowest recent real work, so timing
/// can't tell the cases apart: `forgot` queues a mail for an active account and does nothing
/// for an unknown or disabled email. Every answer lasts at least `floor`, and at least as long
/// as the slowest of the last 64 that did the work. The padding is a sleep: it holds nothing.
final class ResponsePacing: Sendable {
    let floor: Duration
    private static let remembered = 64
    private let recent = Mutex<(durations: [Duration], next: Int)>(([], 0))

    init(floor: Duration) {
        self.floor = floor
    }

    /// Records how long the real work took.
    func observe(_ took: Duration) {
        recent.withLock { state in
            if state.durations.count < Self.remembered {
                state.durations.append(took)
            } else {
                state.durations[state.next] = took
            }
            state.next = (state.next + 1) % Self.remembered
        }
    }

    /// How long each answer must take.
    var target: Duration { max(floor, recent.withLock { $0.durations.max() } ?? .zero) }

    /// Sleeps until `target` has passed since `started`.
    func pad(since started: ContinuousClock.Instant) async {
        try? await Task.sleep(until: started + target, clock: .continuous)
    }
}
