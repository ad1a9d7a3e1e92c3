import CSodium

extension Sodium {
    /// SHA-512 of `data`.
    public static func sha512(_ data: some Collection<UInt8>) -> [UInt8] {
        ensureInitialized()
        var out = [UInt8](repeating: 0, count: Int(crypto_hash_sha512_BYTES))
        withContiguousBytes(data) { _ = crypto_hash_sha512(&out, $0.baseAddress, UInt64($0.count)) }
        return out
    }

    /// scrypt (RFC 7914) through libsodium: `length` bytes with cost N = 2^`logN`, block size `r`, parallelism `p`.
    public static func scrypt(password: SecretBytes, salt: [UInt8], logN: Int, r: UInt32, p: UInt32, length: Int) throws(CryptoError) -> [UInt8] {
        ensureInitialized()
        guard (1...30).contains(logN), r >= 1, p >= 1, UInt64(r) * UInt64(p) < 1 << 30 else { throw CryptoError.kdfFailed }
        var out = [UInt8](repeating: 0, count: length)
        let status = password.withUnsafeBytes { passwordBytes in
            crypto_pwhash_scryptsalsa208sha256_ll(
                passwordBytes.baseAddress!.assumingMemoryBound(to: UInt8.self), passwordBytes.count, salt, salt.count,
                UInt64(1) << UInt64(logN), r, p, &out, length)
        }
        guard status == 0 else { throw CryptoError.kdfFailed }
        return out
    }
}
