import AuthTokens

/// Applies due key rotations and loads the published keys into the key ring; the server runs
/// it every few seconds, so a rotation made with `authctl` reaches it without a restart.
public struct ReloadKeys: Sendable {
    let store: any KeyStore
    let keys: KeyRing
    let accessTokenTTL: Int64
    let clock: WallClock

    public func callAsFunction() async throws {
        let now = clock.seconds
        // A previous key that stopped signing before this can't have signed a live token.
        try await keys.reload(from: store, now: now, retireBefore: now - accessTokenTTL - AccessTokenVerifier.maximumLeeway)
    }
}
