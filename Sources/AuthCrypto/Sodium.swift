import CSodium

/// libsodium's general-purpose primitives: randomness, hashing, constant-time comparison.
///
/// Every call into libsodium goes through this target; the rest of the package sees Swift types.
public enum Sodium {
    /// `sodium_init` must run once before any other call; Swift's lazy statics make that thread-safe.
    static let initialized: Bool = {
        precondition(sodium_init() >= 0, "libsodium failed to initialize")
        return true
    }()

    /// Makes sure libsodium is initialized.
    @inline(__always)
    static func ensureInitialized() { _ = initialized }

    /// `count` bytes from the operating system's CSPRNG.
    public static func randomBytes(_ count: Int) -> [UInt8] {
        ensureInitialized()
        var bytes = [UInt8](repeating: 0, count: count)
        bytes.withUnsafeMutableBytes { randombytes_buf($0.baseAddress!, count) }
        return bytes
    }

    /// Compares two byte strings in time that depends only on their lengths.
    public static func constantTimeEqual(_ a: some Collection<UInt8>, _ b: some Collection<UInt8>) -> Bool {
        let left = Array(a), right = Array(b)
        guard left.count == right.count else { return false }
        if left.isEmpty { return true }
        return left.withUnsafeBytes { l in
            right.withUnsafeBytes { r in sodium_memcmp(l.baseAddress, r.baseAddress, left.count) == 0 }
        }
    }

    /// SHA-256 of `data`.
    public static func sha256(_ data: some Collection<UInt8>) -> [UInt8] {
        ensureInitialized()
        let input = Array(data)
        var out = [UInt8](repeating: 0, count: Int(crypto_hash_sha256_BYTES))
        input.withUnsafeBufferPointer { i in
            _ = crypto_hash_sha256(&out, i.baseAddress, UInt64(input.count))
        }
        return out
    }
}
