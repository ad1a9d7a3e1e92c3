import AuthCrypto

/// Computes Argon2 tags, through libsodium's run-time-selected kernel where it applies
/// (argon2id/argon2i 1.3, one lane, 16-byte salt) and the reference libargon2 otherwise.
/// Both produce the same bytes; libsodium is 1.3–2× faster on this hardware. libsodium's
/// hashes run on `kernel`; libargon2's, rare (imported hashes), in this process.
enum Argon2 {
    static func tag(for hash: Argon2Hash, password: SecretBytes, kernel: any Argon2Kernel) throws -> [UInt8] {
        let p = hash.parameters
        let variant: SodiumArgon2.Variant = hash.variant == .argon2id ? .argon2id : .argon2i
        if hash.version == 0x13, hash.variant != .argon2d,
            SodiumArgon2.supports(
                variant: variant, parallelism: p.parallelism, saltLength: hash.salt.count,
                outputLength: hash.tag.count, iterations: p.iterations, memoryKiB: p.memoryKiB)
        {
            return try kernel.tag(
                for: Argon2Request(
                    variant: variant, password: password, salt: hash.salt, iterations: p.iterations,
                    memoryKiB: p.memoryKiB, outputLength: hash.tag.count))
        }
        return try LibArgon2.hash(
            variant: hash.variant, version: hash.version, password: password, salt: hash.salt, parameters: p,
            outputLength: hash.tag.count)
    }
}
