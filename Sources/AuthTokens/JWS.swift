import AuthCrypto

/// Compact JWS (RFC 7515 §7.1) signed with Ed25519 (RFC 8037).
public enum JWS {
    /// `BASE64URL(header) . BASE64URL(payload) . BASE64URL(signature)` over the exact bytes given.
    public static func sign(header: [UInt8], payload: [UInt8], key: Ed25519.PrivateKey) -> String {
        let signingInput = Base64.encode(header) + "." + Base64.encode(payload)
        let signature = key.sign(Array(signingInput.utf8))
        return signingInput + "." + Base64.encode(signature)
    }
}
