/// How many sessions are live now, across accounts (for monitoring).
public struct CountLiveSessions: Sendable {
    let sessions: any SessionStore
    let idleTTL: Int64
    let clock: WallClock

    public func callAsFunction() async throws -> Int {
        try await sessions.liveSessionCount(now: clock.seconds, idleTTL: idleTTL)
    }
}
