/// An admin takes a key out of the JWKS (`authctl keys retire`): refused for the current key;
/// tokens it signed stop verifying. Returns false when it was retired already.
public struct RetireKey: Sendable {
    let store: any KeyStore
    let audit: AuditLog
    let actor: ClientInfo
    let clock: WallClock

    @discardableResult
    public func callAsFunction(kid: String) async throws -> Bool {
        let keys = try await store.signingKeys()
        guard let key = keys.first(where: { $0.kid == kid }) else { throw AuthError(.notFound, "no signing key \(kid)") }
        guard key.state != .current else {
            throw AuthError.invalidRequest("\(kid) is the current signing key; rotate first")
        }
        guard key.state != .retired else { return false }
        guard let change = KeyRotation.retire(kid, in: keys, now: clock.seconds), try await store.applyKeyChanges([change]) else {
            throw AuthError.invalidRequest("\(kid) changed meanwhile; try again")
        }
        try await audit.record(.keyRetired, client: actor, detail: kid)
        return true
    }
}
