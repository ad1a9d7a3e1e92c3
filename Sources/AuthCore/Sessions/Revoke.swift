/// Token revocation (RFC 7009): ends the session the refresh token belongs to. Unknown tokens
/// are ignored, so the answer tells nothing.
public struct Revoke: Sendable {
    let sessions: any SessionStore
    let audit: AuditLog
    let clock: WallClock

    public func callAsFunction(refreshToken: String, client: ClientInfo? = nil) async throws {
        guard !refreshToken.isEmpty, refreshToken.utf8.count <= 512,
            let ended = try await sessions.endSession(
                refreshTokenHash: OpaqueToken.hash(refreshToken), reason: .revoked, now: clock.seconds)
        else { return }
        try await audit.record(
            .sessionRevoked, accountID: ended.accountID, client: client, detail: "session \(ended.sessionID) (token revoked)")
    }
}
