import CSodium

/// Raw Argon2 output from libsodium's `crypto_pwhash`, which picks the fastest
/// kernel for this CPU at run time. It covers argon2id and argon2i with one lane
/// and a 16-byte salt; for anything else callers fall back to libargon2.
public enum SodiumArgon2 {
    public enum Variant: Sendable { case argon2i, argon2id }

    /// The salt length libsodium requires.
    public static let saltLength = Int(crypto_pwhash_SALTBYTES)

    /// Whether libsodium can compute a hash with these parameters.
    public static func supports(variant: Variant, parallelism: UInt32, saltLength: Int, outputLength: Int, iterations: UInt32, memoryKiB: UInt32) -> Bool {
        let minimumIterations: UInt32 = variant == .argon2id ? 1 : 3
        return parallelism == 1 && saltLength == self.saltLength && outputLength >= 16
            && iterations >= minimumIterations && memoryKiB >= 8
    }

    /// The raw tag, or throws `CryptoError.kdfFailed` (unsupported parameters or out of memory).
    public static func hash(
        variant: Variant, password: SecretBytes, salt: [UInt8], iterations: UInt32, memoryKiB: UInt32, outputLength: Int
    ) throws(CryptoError) -> [UInt8] {
        Sodium.ensureInitialized()
        guard salt.count == saltLength else { throw CryptoError.kdfFailed }
        var out = [UInt8](repeating: 0, count: outputLength)
        let algorithm = variant == .argon2id ? crypto_pwhash_ALG_ARGON2ID13 : crypto_pwhash_ALG_ARGON2I13
        let status = password.withUnsafeBytes { passwordBytes in
            crypto_pwhash(
                &out, UInt64(outputLength), passwordBytes.baseAddress!.assumingMemoryBound(to: CChar.self),
                UInt64(passwordBytes.count), salt, UInt64(iterations), Int(memoryKiB) * 1024, algorithm)
        }
        guard status == 0 else { throw CryptoError.kdfFailed }
        return out
    }
}
