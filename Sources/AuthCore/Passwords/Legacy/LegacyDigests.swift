import AuthCrypto
import COpenSSL

/// What imported legacy hashes need beyond libsodium, from OpenSSL's libcrypto:
/// PBKDF2 (RFC 8018) with HMAC-SHA-1/256/512 and plain SHA-1. Never for new hashes.
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

    /// SHA-1 of `data` (LDAP `{SSHA}` only).
    public static func sha1(_ data: some Collection<UInt8>) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(SHA_DIGEST_LENGTH))
        let bytes = Array(data)
        _ = SHA1(bytes, bytes.count, &out)
        return out
    }
}
