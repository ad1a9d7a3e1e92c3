/// The signing keys' life cycle: standby (published, not signing) → current (signing) →
/// previous (published until its tokens expire) → retired (out of the JWKS).
public enum KeyRotation {
    /// The changes due at `now`: the latest standby key whose time has come becomes current
    /// (the current one previous), and previous keys that stopped signing before `retireBefore`
    /// (so no live token can carry their signature) retire.
    public static func due(_ keys: [SigningKey], now: Int64, retireBefore: Int64) -> [SigningKeyChange] {
        var changes: [SigningKeyChange] = []
        let due = keys.filter { $0.state == .standby && ($0.activatesAt ?? .max) <= now }
        if let next = due.last(where: { $0.activatesAt == due.map { $0.activatesAt ?? 0 }.max() }) {
            changes += keys.filter { $0.state == .current }.map {
                SigningKeyChange(kid: $0.kid, from: .current, to: .previous, deactivatedAt: now)
            }
            changes.append(SigningKeyChange(kid: next.kid, from: .standby, to: .current, deactivatedAt: nil))
        }
        changes += keys.filter { $0.state == .previous && ($0.deactivatedAt ?? .max) < retireBefore }.map {
            SigningKeyChange(kid: $0.kid, from: .previous, to: .retired, deactivatedAt: nil)
        }
        return changes
    }

    /// Takes a key out of the JWKS: allowed for standby and previous keys, refused (nil) for
    /// the current key, a retired one or an unknown kid.
    public static func retire(_ kid: String, in keys: [SigningKey], now: Int64) -> SigningKeyChange? {
        guard let key = keys.first(where: { $0.kid == kid }), key.state == .standby || key.state == .previous else {
            return nil
        }
        return SigningKeyChange(kid: kid, from: key.state, to: .retired, deactivatedAt: now)
    }
}
