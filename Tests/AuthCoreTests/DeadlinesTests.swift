import Testing

@testable import PostgresSupport

/// The lease bound's waits: each ends at its deadline, or at once when its task is cancelled
/// (however the cancellation and the start of the wait interleave), and never twice.
struct DeadlinesTests {
    @Test(.timeLimit(.minutes(1))) func aWaitEndsOnceItsTimeHasPassed() async {
        let deadlines = Deadlines(tick: .milliseconds(10))
        defer { deadlines.stop() }
        let started = ContinuousClock.now
        #expect(await deadlines.passed(.milliseconds(100)))
        #expect(ContinuousClock.now - started >= .milliseconds(100))
    }

    @Test(.timeLimit(.minutes(1))) func aCancelledWaitEndsAtOnceWhenEverItIsCancelled() async {
        let deadlines = Deadlines(tick: .milliseconds(10))
        defer { deadlines.stop() }
        for round in 0..<200 {
            let wait = Task { await deadlines.passed(.seconds(3600)) }
            if round % 2 == 1 { await Task.yield() }  // cancelled before, or after, the wait has begun
            wait.cancel()
            #expect(await wait.value == false)
        }
        // Cancelled near its deadline: ended by one or the other, once (a second resume would trap).
        for round in 0..<100 {
            let wait = Task { await deadlines.passed(.milliseconds(10)) }
            try? await Task.sleep(for: .milliseconds(round % 20))
            wait.cancel()
            _ = await wait.value
        }
        let alreadyCancelled = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return await deadlines.passed(.seconds(3600))
        }
        #expect(await alreadyCancelled.value == false)
    }
}
