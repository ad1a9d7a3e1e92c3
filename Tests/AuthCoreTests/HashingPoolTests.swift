import Foundation
import Testing

@testable import AuthCore

@Suite struct HashingPoolTests {
    @Test func refusesWorkBeyondTheQueueAtOnce() async throws {
        let pool = HashingPool(concurrency: 1, queueLimit: 1)
        let release = DispatchSemaphore(value: 0)
        async let busy: Void = pool.run { release.wait() }
        try await Task.sleep(for: .milliseconds(100))  // the worker is now blocked
        async let queued: Void = pool.run {}
        try await Task.sleep(for: .milliseconds(100))
        await #expect(throws: AuthError.overloaded(retryAfter: 1)) { try await pool.run {} }
        #expect(pool.queued == 1)
        release.signal()
        _ = try await (busy, queued)
        try await pool.run {}
    }

    @Test func propagatesErrorsAndResults() async throws {
        struct Boom: Error {}
        #expect(try await Harness.pool.run { 21 * 2 } == 42)
        await #expect(throws: Boom.self) { try await Harness.pool.run { throw Boom() } }
    }
}
