import AuthCrypto

/// LDAP's salted SHA hashes (OpenLDAP, 389-ds): `{SSHA}`, `{SSHA256}` and `{SSHA512}` followed
/// by base64 of `SHA(password ‖ salt) ‖ salt`.
struct SaltedSHAHash {
    enum Algorithm { case sha1, sha256, sha512 }
    var algorithm: Algorithm
    var digest: [UInt8]
    var salt: [UInt8]

    init?(_ text: String) {
        let algorithm: Algorithm, length: Int, body: Substring
        if text.hasPrefix("{SSHA}") {
            (algorithm, length, body) = (.sha1, 20, text.dropFirst(6))
        } else if text.hasPrefix("{SSHA256}") {
            (algorithm, length, body) = (.sha256, 32, text.dropFirst(9))
        } else if text.hasPrefix("{SSHA512}") {
            (algorithm, length, body) = (.sha512, 64, text.dropFirst(9))
        } else {
            return nil
        }
        guard let bytes = Base64.decodeLenient(String(body), alphabet: .standard), bytes.count > length else { return nil }
        self.algorithm = algorithm
        digest = Array(bytes.prefix(length))
        salt = Array(bytes.dropFirst(length))
    }

    func verify(_ password: Password) -> Bool {
        let computed: [UInt8] = SecretBytes(password.bytes, followedBy: salt).withUnsafeBytes { input in
            switch algorithm {
            case .sha1: LegacyDigests.sha1(input)
            case .sha256: Sodium.sha256(input)
            case .sha512: Sodium.sha512(input)
            }
        }
        return Sodium.constantTimeEqual(computed, digest)
    }
}
