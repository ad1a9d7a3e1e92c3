import AuthCrypto

/// The stored-hash formats this service verifies, recognised from the hash string alone:
/// its own argon2id, and the legacy formats accounts arrive with from other systems,
/// which are upgraded to argon2id at the next successful login.
public enum PasswordHashScheme: String, Sendable, CaseIterable {
    case argon2id, argon2i, argon2d
    case bcrypt
    /// Django's bcrypt over the hex SHA-256 of the password: `bcrypt_sha256$$2b$…`.
    case bcryptSHA256 = "bcrypt-sha256"
    case md5Crypt = "md5-crypt", sha256Crypt = "sha256-crypt", sha512Crypt = "sha512-crypt", yescrypt
    case pbkdf2SHA1 = "pbkdf2-sha1", pbkdf2SHA256 = "pbkdf2-sha256", pbkdf2SHA512 = "pbkdf2-sha512"
    case scrypt
    case ssha, ssha256, ssha512

    /// The scheme of `hash`, or nil when it is not a well-formed hash of a known format.
    /// Checks the syntax only, so a million hashes are recognised in moments.
    public static func identify(_ hash: String) -> PasswordHashScheme? {
        if let argon2 = Argon2Hash(phc: hash) { return PasswordHashScheme(rawValue: argon2.variant.rawValue) }
        if let scheme = CryptHash.scheme(of: hash) { return scheme }
        if hash.hasPrefix(djangoBcryptSHA256), CryptHash.scheme(of: String(hash.dropFirst(djangoBcryptSHA256.count))) == .bcrypt {
            return .bcryptSHA256
        }
        if let pbkdf2 = PBKDF2Hash(hash) {
            switch pbkdf2.hash {
            case .sha1: return .pbkdf2SHA1
            case .sha256: return .pbkdf2SHA256
            case .sha512: return .pbkdf2SHA512
            }
        }
        if ScryptHash(hash) != nil { return .scrypt }
        if let salted = SaltedSHAHash(hash) {
            switch salted.algorithm {
            case .sha1: return .ssha
            case .sha256: return .ssha256
            case .sha512: return .ssha512
            }
        }
        return nil
    }

    /// Whether `password` matches `hash`, in constant time; an unrecognised hash never matches.
    /// A hash from another system may have been made over the password as typed rather than
    /// NFC-normalized: with `tryingTypedForm`, when the two differ, both are tried. Argon2 runs
    /// on `kernel` where libsodium computes it; a kernel that fails (its helper process died)
    /// throws rather than answer "no match", which would count as a wrong password.
    static func verify(
        _ password: Password, against hash: String, tryingTypedForm: Bool,
        kernel: any Argon2Kernel = InProcessArgon2Kernel()
    ) throws -> Bool {
        if try verifyExactly(password, against: hash, kernel: kernel) { return true }
        guard tryingTypedForm, let typed = password.asTyped else { return false }
        return try verifyExactly(typed, against: hash, kernel: kernel)
    }

    private static func verifyExactly(_ password: Password, against hash: String, kernel: any Argon2Kernel) throws -> Bool {
        switch identify(hash) {
        case .argon2id, .argon2i, .argon2d:
            guard let argon2 = Argon2Hash(phc: hash) else { return false }
            let tag: [UInt8]
            do {
                tag = try Argon2.tag(for: argon2, password: password.bytes, kernel: kernel)
            } catch is CryptoError {
                return false  // parameters the library refuses: the hash can match nothing
            }
            return Sodium.constantTimeEqual(tag, argon2.tag)
        case .bcrypt, .md5Crypt, .sha256Crypt, .sha512Crypt, .yescrypt:
            return CryptHash.verify(password, against: hash)
        case .bcryptSHA256:
            let hex = password.bytes.withUnsafeBytes { Sodium.sha256($0) }.map { String($0, radix: 16).leftPadded(to: 2) }.joined()
            return CryptHash.verify(Password(hex), against: String(hash.dropFirst(djangoBcryptSHA256.count)))
        case .pbkdf2SHA1, .pbkdf2SHA256, .pbkdf2SHA512:
            return PBKDF2Hash(hash)?.verify(password) ?? false
        case .scrypt:
            return ScryptHash(hash)?.verify(password) ?? false
        case .ssha, .ssha256, .ssha512:
            return SaltedSHAHash(hash)?.verify(password) ?? false
        case nil:
            return false
        }
    }

    /// The memory verifying `hash` takes, in bytes (argon2's m, scrypt's and yescrypt's
    /// 128·N·r; the rest need little), so the hashing pool can bound what runs at once.
    public static func memoryBytes(of hash: String) -> Int {
        if let argon2 = Argon2Hash(phc: hash) { return Int(argon2.parameters.memoryKiB) * 1024 }
        switch identify(hash) {
        case .scrypt: return ScryptHash(hash).map { 128 * Int($0.r) << $0.logN } ?? 0
        case .yescrypt: return CryptHash.yescryptMemory(of: hash) ?? 0
        default: return 0
        }
    }

    /// The scheme with its cost, for counts by algorithm and parameters (`argon2id m=65536,t=3,p=1`).
    public static func profile(of hash: String) -> String {
        if let argon2 = Argon2Hash(phc: hash) { return "\(argon2.variant.rawValue) \(argon2.parameters)" }  // most, parsed once
        guard let scheme = identify(hash) else { return "unrecognised" }
        switch scheme {
        case .argon2id, .argon2i, .argon2d: return "\(scheme.rawValue) \(Argon2Hash(phc: hash)!.parameters)"
        case .bcryptSHA256: return "bcrypt-sha256 \(CryptHash.cost(of: String(hash.dropFirst(djangoBcryptSHA256.count))))"
        case .bcrypt, .md5Crypt, .sha256Crypt, .sha512Crypt, .yescrypt:
            let cost = CryptHash.cost(of: hash)
            return cost.isEmpty ? scheme.rawValue : "\(scheme.rawValue) \(cost)"
        case .pbkdf2SHA1, .pbkdf2SHA256, .pbkdf2SHA512: return "\(scheme.rawValue) i=\(PBKDF2Hash(hash)!.iterations)"
        case .scrypt:
            let scrypt = ScryptHash(hash)!
            return "scrypt ln=\(scrypt.logN),r=\(scrypt.r),p=\(scrypt.p)"
        case .ssha, .ssha256, .ssha512: return scheme.rawValue
        }
    }
}

let djangoBcryptSHA256 = "bcrypt_sha256$"

extension String {
    func leftPadded(to length: Int) -> String { String(repeating: "0", count: max(0, length - count)) + self }
}
