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

    /// Overwrites `count` bytes at `pointer` with zeros in a way the compiler can't drop.
    public static func wipe(_ pointer: UnsafeMutableRawPointer, count: Int) {
        sodium_memzero(pointer, count)
    }

    /// Compares two byte strings in time that depends only on their lengths.
    public static func constantTimeEqual(_ a: some Collection<UInt8>, _ b: some Collection<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        if a.isEmpty { return true }
        return withContiguousBytes(a) { l in
            withContiguousBytes(b) { r in sodium_memcmp(l.baseAddress, r.baseAddress, l.count) == 0 }
        }
    }

    /// `body` over the bytes of `data` in place when they are contiguous (arrays, `SecretBytes`'
    /// buffers), so secrets aren't copied; otherwise over a copy.
    static func withContiguousBytes<R>(_ data: some Collection<UInt8>, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        if let result = data.withContiguousStorageIfAvailable({ body(UnsafeRawBufferPointer($0)) }) { return result }
        return Array(data).withUnsafeBytes(body)
    }

    /// BLAKE2b-256 of `data`: as collision-resistant as SHA-256, and about three times as fast
    /// in libsodium, which has no SHA instructions. For digests kept only in memory.
    public static func blake2b256(_ data: some Collection<UInt8>) -> [UInt8] {
        ensureInitialized()
        var out = [UInt8](repeating: 0, count: 32)
        withContiguousBytes(data) { _ = crypto_generichash(&out, 32, $0.baseAddress, UInt64($0.count), nil, 0) }
        return out
    }

    /// SHA-256 of `data`.
    public static func sha256(_ data: some Collection<UInt8>) -> [UInt8] {
        ensureInitialized()
        var out = [UInt8](repeating: 0, count: Int(crypto_hash_sha256_BYTES))
        withContiguousBytes(data) { _ = crypto_hash_sha256(&out, $0.baseAddress, UInt64($0.count)) }
        return out
    }

    /// HMAC-SHA-256 of `message` under a key of any length (RFC 2104).
    public static func hmacSHA256(key: some Collection<UInt8>, _ message: some Collection<UInt8>) -> [UInt8] {
        ensureInitialized()
        var state = crypto_auth_hmacsha256_state()
        var out = [UInt8](repeating: 0, count: Int(crypto_auth_hmacsha256_BYTES))
        let keyBytes = Array(key)
        (keyBytes + [0]).withUnsafeBufferPointer { _ = crypto_auth_hmacsha256_init(&state, $0.baseAddress!, keyBytes.count) }
        withContiguousBytes(message) { _ = crypto_auth_hmacsha256_update(&state, $0.bindMemory(to: UInt8.self).baseAddress, UInt64($0.count)) }
        _ = crypto_auth_hmacsha256_final(&state, &out)
        return out
    }
}
