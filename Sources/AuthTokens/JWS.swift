import AuthCrypto

/// Compact JWS (RFC 7515 §7.1) signed with Ed25519 (RFC 8037).
public enum JWS {
    /// `BASE64URL(header) . BASE64URL(payload) . BASE64URL(signature)` over the exact bytes given.
    public static func sign(header: [UInt8], payload: [UInt8], key: Ed25519.PrivateKey) -> String {
        sign(encodedHeader: Array(Base64.encode(header).utf8), payload: payload, key: key)
    }

    /// As above, with the header already base64url-encoded (a signer's header never changes).
    static func sign(encodedHeader: [UInt8], payload: [UInt8], key: Ed25519.PrivateKey) -> String {
        var token = encodedHeader
        token.reserveCapacity(encodedHeader.count + (payload.count + 64) * 4 / 3 + 8)
        token.append(UInt8(ascii: "."))
        Base64.encode(payload, into: &token)
        let signature = key.sign(token)
        token.append(UInt8(ascii: "."))
        Base64.encode(signature, into: &token)
        return String(decoding: token, as: UTF8.self)
    }
}
