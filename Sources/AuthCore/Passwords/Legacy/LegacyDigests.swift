import AuthCrypto
import COpenSSL

/// The SHA-1 family beyond libsodium, from OpenSSL's libcrypto: what imported legacy hashes
/// need (PBKDF2, RFC 8018, with HMAC-SHA-1/256/512, and plain SHA-1; never for new hashes),
/// and HMAC-SHA-1 for TOTP (RFC 6238's algorithm, which authenticator apps expect).
enum LegacyDigests {
    public enum Digest: Sendable {
        case sha1, sha256, sha512

        var evp: OpaquePointer? {
            switch self {
            case .sha1: EVP_sha1()
            case .sha256: EVP_sha256()
            case .sha512: EVP_sha512()
            }
        }
    }

    /// `length` bytes of PBKDF2-HMAC-`digest`; nil if OpenSSL refuses the parameters.
    public static func pbkdf2(password: SecretBytes, salt: [UInt8], iterations: Int, length: Int, digest: Digest) -> [UInt8]? {
        var out = [UInt8](repeating: 0, count: length)
        let status = password.withUnsafeBytes { passwordBytes in
            PKCS5_PBKDF2_HMAC(
                passwordBytes.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(passwordBytes.count), salt,
                Int32(salt.count), Int32(iterations), digest.evp, Int32(length), &out)
        }
        return status == 1 ? out : nil
    }

    /// HMAC-SHA-1 of `message` under `key` (TOTP codes only).
    static func hmacSHA1(key: SecretBytes, _ message: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(SHA_DIGEST_LENGTH))
        var length: UInt32 = 0
        key.withUnsafeBytes { keyBytes in
            _ = HMAC(EVP_sha1(), keyBytes.baseAddress, Int32(keyBytes.count), message, message.count, &out, &length)
        }
        return out
    }

    /// SHA-1 of `data` (LDAP `{SSHA}` only).
    public static func sha1(_ data: some Collection<UInt8>) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(SHA_DIGEST_LENGTH))
        let bytes = Array(data)
        _ = SHA1(bytes, bytes.count, &out)
        return out
    }
}
