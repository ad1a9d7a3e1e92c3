import AuthCrypto

/// Opaque tokens: refresh tokens, the tokens of mailed links and `mfa_token`s. 256 random bits,
/// base64url (`RandomSource.opaqueToken()`); stored only as their SHA-256.
///
/// A fast hash is enough here (unlike passwords): the input has full entropy, so
/// the stored hash can't be brute-forced, and lookups stay one index probe.
public enum OpaqueToken {
    public static let byteCount = 32

    /// The stored form of a presented token.
    public static func hash(_ token: String) -> [UInt8] { Sodium.sha256(Array(token.utf8)) }

    /// Whether a presented string has the shape of a token (43 base64url characters), before any lookup.
    static func isWellFormed(_ presented: String) -> Bool {
        presented.utf8.count == 43 && Base64.decode(presented)?.count == byteCount
    }
}
