import WireFormat

/// An admin adds a signing key (`authctl keys rotate`): published at once, signing after
/// `activateIn` seconds so verifiers can fetch it first; with 0 it signs at once. Retiring old
/// keys is left to the servers, which know the access-token lifetime.
public struct RotateKey: Sendable {
    let store: any KeyStore
    let keys: KeyRing
    let audit: AuditLog
    let actor: ClientInfo
    let clock: WallClock

    public func callAsFunction(activateIn: Int64) async throws -> SigningKey {
        let now = clock.seconds
        let key = try keys.makeKey(state: .standby, now: now, activatesAt: now + activateIn)
        try await store.insertSigningKey(key)
        if activateIn == 0 {
            _ = try await store.applyKeyChanges(KeyRotation.due(try await store.signingKeys(), now: now, retireBefore: .min))
        }
        try await audit.record(.keyRotated, client: actor, detail: "\(key.kid) signs from \(Timestamp.rfc3339(now + activateIn))")
        return key
    }
}
