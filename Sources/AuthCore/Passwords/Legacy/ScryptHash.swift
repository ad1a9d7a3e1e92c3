import AuthCrypto

/// scrypt in passlib's PHC form: `$scrypt$ln=LOG2N,r=R,p=P$SALT$HASH`, computed by libsodium.
struct ScryptHash {
    var logN: Int
    var r: UInt32
    var p: UInt32
    var salt: [UInt8]
    var digest: [UInt8]

    init?(_ text: String) {
        let fields = text.split(separator: "$", omittingEmptySubsequences: false)
        guard fields.count == 5, fields[0].isEmpty, fields[1] == "scrypt" else { return nil }
        var values: [String: Int] = [:]
        for pair in fields[2].split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, let value = Int(parts[1]) else { return nil }
            values[String(parts[0])] = value
        }
        guard let logN = values["ln"], let r = values["r"], let p = values["p"], (1...24).contains(logN),
            (1...64).contains(r), (1...64).contains(p),
            let salt = Base64.decodeLenient(String(fields[3]), alphabet: .standard), !salt.isEmpty,
            let digest = Base64.decodeLenient(String(fields[4]), alphabet: .standard), (16...128).contains(digest.count)
        else { return nil }
        self.logN = logN
        self.r = UInt32(r)
        self.p = UInt32(p)
        self.salt = salt
        self.digest = digest
    }

    func verify(_ password: Password) -> Bool {
        guard let computed = try? Sodium.scrypt(password: password.bytes, salt: salt, logN: logN, r: r, p: p, length: digest.count)
        else { return false }
        return Sodium.constantTimeEqual(computed, digest)
    }
}
