import AuthCrypto

/// Opaque refresh tokens: 256 random bits, base64url (`RandomSource.opaqueToken()`); stored
/// only as their SHA-256.
///
/// A fast hash is enough here (unlike passwords): the input has full entropy, so
/// the stored hash can't be brute-forced, and lookups stay one index probe.
public enum RefreshToken {
    public static let byteCount = 32

    /// The stored form of a presented token.
    public static func hash(_ token: String) -> [UInt8] { Sodium.sha256(Array(token.utf8)) }
}
