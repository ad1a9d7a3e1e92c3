import CSodium

/// Authenticated symmetric encryption (XSalsa20-Poly1305) for secrets at rest.
public enum SecretBox {
    public static let keyLength = Int(crypto_secretbox_KEYBYTES)
    static let nonceLength = Int(crypto_secretbox_NONCEBYTES)
    static let macLength = Int(crypto_secretbox_MACBYTES)

    /// A fresh random key.
    public static func generateKey() -> [UInt8] { Sodium.randomBytes(keyLength) }

    /// `nonce ‖ ciphertext` of `plaintext` under `key`, with a random nonce.
    public static func seal(_ plaintext: [UInt8], key: [UInt8]) throws(CryptoError) -> [UInt8] {
        guard key.count == keyLength else { throw CryptoError.invalidKey }
        let nonce = Sodium.randomBytes(nonceLength)
        var ciphertext = [UInt8](repeating: 0, count: plaintext.count + macLength)
        _ = crypto_secretbox_easy(&ciphertext, plaintext, UInt64(plaintext.count), nonce, key)
        return nonce + ciphertext
    }

    /// The plaintext of a box made by `seal`; throws when the key is wrong or the box was changed.
    public static func open(_ box: [UInt8], key: [UInt8]) throws(CryptoError) -> [UInt8] {
        guard key.count == keyLength else { throw CryptoError.invalidKey }
        guard box.count >= nonceLength + macLength else { throw CryptoError.openFailed }
        let nonce = Array(box[..<nonceLength])
        let ciphertext = Array(box[nonceLength...])
        var plaintext = [UInt8](repeating: 0, count: ciphertext.count - macLength)
        guard crypto_secretbox_open_easy(&plaintext, ciphertext, UInt64(ciphertext.count), nonce, key) == 0 else {
            throw CryptoError.openFailed
        }
        return plaintext
    }
}
