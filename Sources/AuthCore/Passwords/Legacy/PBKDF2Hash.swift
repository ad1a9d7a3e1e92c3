import AuthCrypto

/// PBKDF2-HMAC-SHA-1/256/512 hashes as three systems write them:
/// passlib's PHC-like `$pbkdf2-sha256$ROUNDS$SALT$HASH` (`$pbkdf2$` for SHA-1; its "adapted"
/// base64: `.` for `+`),
/// Ory Kratos' `$pbkdf2-sha256$i=ROUNDS,l=LENGTH$SALT$HASH`, and Django's
/// `pbkdf2_sha256$ROUNDS$SALT$HASH` (a text salt, a padded base64 hash).
struct PBKDF2Hash: Equatable {
    var hash: LegacyDigests.Digest
    var iterations: Int
    var salt: [UInt8]
    var digest: [UInt8]

    static let maximumIterations = 10_000_000

    init(hash: LegacyDigests.Digest, iterations: Int, salt: [UInt8], digest: [UInt8]) {
        self.hash = hash
        self.iterations = iterations
        self.salt = salt
        self.digest = digest
    }

    init?(_ text: String) {
        let fields = text.split(separator: "$", omittingEmptySubsequences: false).map(String.init)
        if fields.count == 4, let hash = Self.djangoAlgorithm(fields[0]), let iterations = Int(fields[1]),
            let digest = Base64.decodeLenient(fields[3], alphabet: .standard)
        {
            self.init(hash: hash, iterations: iterations, salt: Array(fields[2].utf8), digest: digest)
        } else if fields.count == 5, fields[0].isEmpty, let hash = Self.phcAlgorithm(fields[1]) {
            if let iterations = Int(fields[2]),
                let salt = Base64.decodeLenient(fields[3].replacingOccurrences(of: ".", with: "+"), alphabet: .standard),
                let digest = Base64.decodeLenient(fields[4].replacingOccurrences(of: ".", with: "+"), alphabet: .standard)
            {
                self.init(hash: hash, iterations: iterations, salt: salt, digest: digest)  // passlib
            } else if let iterations = Self.kratosIterations(fields[2]),
                let salt = Base64.decodeLenient(fields[3], alphabet: .standard),
                let digest = Base64.decodeLenient(fields[4], alphabet: .standard)
            {
                self.init(hash: hash, iterations: iterations, salt: salt, digest: digest)  // Kratos
            } else {
                return nil
            }
        } else {
            return nil
        }
        guard (1...Self.maximumIterations).contains(iterations), !salt.isEmpty, (16...128).contains(digest.count) || (hash == .sha1 && digest.count == 20),
            iterations * ((digest.count + hash.length - 1) / hash.length) <= Self.maximumIterations  // each output block costs the iterations again
        else {
            return nil
        }
    }

    private static func djangoAlgorithm(_ name: String) -> LegacyDigests.Digest? {
        switch name {
        case "pbkdf2_sha1": .sha1
        case "pbkdf2_sha256": .sha256
        case "pbkdf2_sha512": .sha512
        default: nil
        }
    }

    private static func phcAlgorithm(_ name: String) -> LegacyDigests.Digest? {
        switch name {
        case "pbkdf2": .sha1
        case "pbkdf2-sha256": .sha256
        case "pbkdf2-sha512": .sha512
        default: nil
        }
    }

    /// `i=ROUNDS,l=LENGTH` (the length is implied by the digest itself).
    private static func kratosIterations(_ text: String) -> Int? {
        let pairs = text.split(separator: ",")
        guard let first = pairs.first, first.hasPrefix("i=") else { return nil }
        return Int(first.dropFirst(2))
    }

    func verify(_ password: Password) -> Bool {
        guard let computed = LegacyDigests.pbkdf2(
            password: password.bytes, salt: salt, iterations: iterations, length: digest.count, digest: hash)
        else { return false }
        return Sodium.constantTimeEqual(computed, digest)
    }

    /// passlib's "adapted base64": standard base64 with `.` for `+` and no padding.
    static func adaptedBase64(_ bytes: [UInt8]) -> String {
        Base64.encode(bytes, alphabet: .standard).replacingOccurrences(of: "+", with: ".")
    }
}

extension LegacyDigests.Digest {
    /// The output size in bytes: PBKDF2 runs all its iterations once per block of this size.
    fileprivate var length: Int {
        switch self {
        case .sha1: 20
        case .sha256: 32
        case .sha512: 64
        }
    }
}
