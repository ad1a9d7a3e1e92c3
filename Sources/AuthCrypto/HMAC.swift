import CSodium

/// HMAC-SHA-256 and HMAC-SHA-512 (RFC 2104) through libsodium, and PBKDF2 (RFC 8018 §5.2)
/// built on them for verifying imported PBKDF2 hashes.
public enum HMAC {
    public enum Hash: Sendable {
        case sha256, sha512

        var length: Int { self == .sha256 ? 32 : 64 }
    }

    /// HMAC of `message` under `key` (any length).
    public static func authenticate(_ message: [UInt8], key: [UInt8], hash: Hash) -> [UInt8] {
        Sodium.ensureInitialized()
        var out = [UInt8](repeating: 0, count: hash.length)
        switch hash {
        case .sha256:
            var state = crypto_auth_hmacsha256_state()
            crypto_auth_hmacsha256_init(&state, key, key.count)
            crypto_auth_hmacsha256_update(&state, message, UInt64(message.count))
            crypto_auth_hmacsha256_final(&state, &out)
        case .sha512:
            var state = crypto_auth_hmacsha512_state()
            crypto_auth_hmacsha512_init(&state, key, key.count)
            crypto_auth_hmacsha512_update(&state, message, UInt64(message.count))
            crypto_auth_hmacsha512_final(&state, &out)
        }
        return out
    }

    /// PBKDF2 with HMAC-`hash`: `length` bytes from `password` and `salt` after `iterations` rounds.
    public static func pbkdf2(password: [UInt8], salt: [UInt8], iterations: Int, length: Int, hash: Hash) -> [UInt8] {
        var derived: [UInt8] = []
        var block: UInt32 = 1
        while derived.count < length {
            let index: [UInt8] = [UInt8(block >> 24), UInt8(block >> 16 & 0xFF), UInt8(block >> 8 & 0xFF), UInt8(block & 0xFF)]
            var u = authenticate(salt + index, key: password, hash: hash)
            var t = u
            for _ in 1..<max(iterations, 1) {
                u = authenticate(u, key: password, hash: hash)
                for i in t.indices { t[i] ^= u[i] }
            }
            derived += t
            block += 1
        }
        return Array(derived.prefix(length))
    }
}

extension Sodium {
    /// SHA-512 of `data`.
    public static func sha512(_ data: some Collection<UInt8>) -> [UInt8] {
        ensureInitialized()
        let input = Array(data)
        var out = [UInt8](repeating: 0, count: Int(crypto_hash_sha512_BYTES))
        _ = crypto_hash_sha512(&out, input, UInt64(input.count))
        return out
    }

    /// scrypt (RFC 7914) through libsodium: `length` bytes with cost N = 2^`logN`, block size `r`, parallelism `p`.
    public static func scrypt(password: [UInt8], salt: [UInt8], logN: Int, r: UInt32, p: UInt32, length: Int) throws(CryptoError) -> [UInt8] {
        ensureInitialized()
        guard (1...30).contains(logN), r >= 1, p >= 1, UInt64(r) * UInt64(p) < 1 << 30 else { throw CryptoError.kdfFailed }
        var out = [UInt8](repeating: 0, count: length)
        let status = crypto_pwhash_scryptsalsa208sha256_ll(
            password, password.count, salt, salt.count, UInt64(1) << UInt64(logN), r, p, &out, length)
        guard status == 0 else { throw CryptoError.kdfFailed }
        return out
    }
}
