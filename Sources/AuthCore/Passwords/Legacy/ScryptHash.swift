import AuthCrypto

/// scrypt, computed by libsodium, in passlib's PHC form `$scrypt$ln=LOG2N,r=R,p=P$SALT$HASH`
/// and in Django's `scrypt$N$SALT$R$P$HASH` (a text salt).
struct ScryptHash {
    var logN: Int
    var r: UInt32
    var p: UInt32
    var salt: [UInt8]
    var digest: [UInt8]

    init?(_ text: String) {
        let fields = text.split(separator: "$", omittingEmptySubsequences: false)
        if fields.count == 6, fields[0] == "scrypt" {
            guard let n = Int(fields[1]), n > 1, n & (n - 1) == 0, let r = UInt32(fields[3]), let p = UInt32(fields[4]),
                (1...64).contains(r), (1...64).contains(p), !fields[2].isEmpty,
                let digest = Base64.decodeLenient(String(fields[5]), alphabet: .standard), (16...128).contains(digest.count)
            else { return nil }
            logN = n.trailingZeroBitCount
            guard logN <= 24, Self.affordable(logN: logN, r: Int(r), p: Int(p)) else { return nil }
            self.r = r
            self.p = p
            salt = Array(fields[2].utf8)
            self.digest = digest
            return
        }
        guard fields.count == 5, fields[0].isEmpty, fields[1] == "scrypt" else { return nil }
        var values: [String: Int] = [:]
        for pair in fields[2].split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, let value = Int(parts[1]) else { return nil }
            values[String(parts[0])] = value
        }
        guard let logN = values["ln"], let r = values["r"], let p = values["p"], (1...24).contains(logN),
            (1...64).contains(r), (1...64).contains(p), Self.affordable(logN: logN, r: r, p: p),
            let salt = Base64.decodeLenient(String(fields[3]), alphabet: .standard), !salt.isEmpty,
            let digest = Base64.decodeLenient(String(fields[4]), alphabet: .standard), (16...128).contains(digest.count)
        else { return nil }
        self.logN = logN
        self.r = UInt32(r)
        self.p = UInt32(p)
        self.salt = salt
        self.digest = digest
    }

    /// N·r·p past this is refused: scrypt takes 128·N·r bytes and time in N·r·p, so the
    /// bound keeps one verification under 1 GiB and about 5 s here (passlib's default is 2^19,
    /// Django's 2^17; the separate limits alone would allow 128 GiB).
    static let maximumWork = 1 << 23

    static func affordable(logN: Int, r: Int, p: Int) -> Bool { (1 << logN) * r * p <= maximumWork }

    func verify(_ password: Password) -> Bool {
        guard let computed = try? Sodium.scrypt(password: password.bytes, salt: salt, logN: logN, r: r, p: p, length: digest.count)
        else { return false }
        return Sodium.constantTimeEqual(computed, digest)
    }
}
