import CSodium

/// Authenticated symmetric encryption (XSalsa20-Poly1305) for secrets at rest.
public enum SecretBox {
    public static let keyLength = Int(crypto_secretbox_KEYBYTES)
    static let nonceLength = Int(crypto_secretbox_NONCEBYTES)
    static let macLength = Int(crypto_secretbox_MACBYTES)

    /// A fresh random key.
    public static func generateKey() -> SecretBytes { SecretBytes.random(count: keyLength) }

    /// `nonce ‖ ciphertext` of `plaintext` under `key`, with a random nonce.
    public static func seal(_ plaintext: SecretBytes, key: SecretBytes) throws(CryptoError) -> [UInt8] {
        guard key.count == keyLength else { throw CryptoError.invalidKey }
        let nonce = Sodium.randomBytes(nonceLength)
        var ciphertext = [UInt8](repeating: 0, count: plaintext.count + macLength)
        plaintext.withUnsafeBytes { message in
            key.withUnsafeBytes { key in
                _ = crypto_secretbox_easy(
                    &ciphertext, message.baseAddress!.assumingMemoryBound(to: UInt8.self), UInt64(message.count), nonce,
                    key.baseAddress!.assumingMemoryBound(to: UInt8.self))
            }
        }
        return nonce + ciphertext
    }

    /// The plaintext of a box made by `seal`; throws when the key is wrong or the box was changed.
    public static func open(_ box: [UInt8], key: SecretBytes) throws(CryptoError) -> SecretBytes {
        guard key.count == keyLength else { throw CryptoError.invalidKey }
        guard box.count >= nonceLength + macLength else { throw CryptoError.openFailed }
        let nonce = Array(box[..<nonceLength])
        let ciphertext = Array(box[nonceLength...])
        return try SecretBytes(count: ciphertext.count - macLength) { (plaintext) throws(CryptoError) in
            let status = key.withUnsafeBytes { key in
                crypto_secretbox_open_easy(
                    plaintext.baseAddress!.assumingMemoryBound(to: UInt8.self), ciphertext, UInt64(ciphertext.count), nonce,
                    key.baseAddress!.assumingMemoryBound(to: UInt8.self))
            }
            guard status == 0 else { throw CryptoError.openFailed }
        }
    }
}
