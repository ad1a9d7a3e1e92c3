import AuthCrypto

/// The source of randomness for ids and tokens, injected so tests can fix it; libsodium's
/// CSPRNG (the OS's) in production.
public struct RandomSource: Sendable {
    public let bytes: @Sendable (Int) -> [UInt8]

    public init(_ bytes: @escaping @Sendable (Int) -> [UInt8]) {
        self.bytes = bytes
    }

    public static let system = RandomSource { Sodium.randomBytes($0) }

    /// A new lowercase UUID (version 4, RFC 9562), the format of every id.
    public func identifier() -> String {
        var octets = bytes(16)
        octets[6] = octets[6] & 0x0f | 0x40
        octets[8] = octets[8] & 0x3f | 0x80
        let hex = octets.map { String($0, radix: 16).leftPadded(to: 2) }.joined()
        let cuts = [8, 12, 16, 20]
        var text = ""
        for (offset, character) in hex.enumerated() {
            if cuts.contains(offset) { text.append("-") }
            text.append(character)
        }
        return text
    }

    /// A new opaque token (256 random bits, base64url: 43 characters) and the SHA-256 to store:
    /// refresh tokens and the tokens in mailed links.
    public func opaqueToken() -> (token: String, hash: [UInt8]) {
        let token = Base64.encode(bytes(OpaqueToken.byteCount))
        return (token, OpaqueToken.hash(token))
    }
}
