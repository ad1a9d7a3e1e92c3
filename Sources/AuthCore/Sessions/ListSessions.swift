/// The account's live sessions, newest first (`GET /v1/sessions`, `authctl sessions list`).
public struct ListSessions: Sendable {
    let sessions: any SessionStore
    let idleTTL: Int64
    let clock: WallClock

    public func callAsFunction(accountID: String) async throws -> [Session] {
        let now = clock.seconds
        return try await sessions.openSessions(accountID: accountID).filter { $0.isActive(at: now, idleTTL: idleTTL) }
    }

    /// When `session` ends if left alone.
    public func endsAt(_ session: Session) -> Int64 { session.endsAt(idleTTL: idleTTL) }
}
