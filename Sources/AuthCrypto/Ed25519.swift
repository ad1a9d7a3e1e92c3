import CSodium

/// Ed25519 signatures (RFC 8032) through libsodium.
public enum Ed25519 {
    public static let publicKeyLength = Int(crypto_sign_PUBLICKEYBYTES)
    public static let seedLength = Int(crypto_sign_SEEDBYTES)
    public static let signatureLength = Int(crypto_sign_BYTES)

    /// A signing key. `seed` is the 32-byte private key of RFC 8032; keep it secret.
    public struct PrivateKey: Sendable {
        public let seed: SecretBytes
        public let publicKey: [UInt8]
        /// libsodium's expanded secret key (seed followed by public key).
        let secretKey: SecretBytes

        /// A fresh key from the system CSPRNG.
        public init() {
            self = try! PrivateKey(seed: SecretBytes.random(count: Ed25519.seedLength))
        }

        /// The key of a 32-byte seed.
        public init(seed: SecretBytes) throws(CryptoError) {
            Sodium.ensureInitialized()
            guard seed.count == Ed25519.seedLength else { throw CryptoError.invalidKey }
            var pk = [UInt8](repeating: 0, count: Ed25519.publicKeyLength)
            secretKey = try SecretBytes(count: Int(crypto_sign_SECRETKEYBYTES)) { (sk) throws(CryptoError) in
                let status = seed.withUnsafeBytes { seed in
                    crypto_sign_seed_keypair(
                        &pk, sk.baseAddress!.assumingMemoryBound(to: UInt8.self), seed.baseAddress!.assumingMemoryBound(to: UInt8.self))
                }
                guard status == 0 else { throw CryptoError.invalidKey }
            }
            self.seed = seed
            self.publicKey = pk
        }

        /// The key of a 32-byte seed given as plain bytes (test vectors).
        public init(seed: [UInt8]) throws(CryptoError) {
            try self.init(seed: SecretBytes(seed))
        }

        /// The 64-byte signature of `message`.
        public func sign(_ message: [UInt8]) -> [UInt8] {
            var signature = [UInt8](repeating: 0, count: Ed25519.signatureLength)
            secretKey.withUnsafeBytes { secretKey in
                _ = crypto_sign_detached(
                    &signature, nil, message, UInt64(message.count), secretKey.baseAddress!.assumingMemoryBound(to: UInt8.self))
            }
            return signature
        }
    }

    /// Whether `signature` is a valid signature of `message` under `publicKey`.
    public static func verify(signature: [UInt8], message: some Collection<UInt8>, publicKey: [UInt8]) -> Bool {
        Sodium.ensureInitialized()
        guard publicKey.count == publicKeyLength, signature.count == signatureLength else { return false }
        return Sodium.withContiguousBytes(message) { message in
            crypto_sign_verify_detached(
                signature, message.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(message.count), publicKey) == 0
        }
    }
}
