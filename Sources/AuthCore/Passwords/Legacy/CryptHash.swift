import AuthCrypto
import CCrypt

/// The crypt(3) family, computed by libxcrypt's `crypt_rn`: bcrypt (`$2a$`, `$2b$`, `$2y$`),
/// md5-crypt (`$1$`), sha256-crypt (`$5$`), sha512-crypt (`$6$`) and yescrypt (`$y$`).
enum CryptHash {
    /// The scheme of a syntactically well-formed crypt hash (checked without computing it).
    static func scheme(of hash: String) -> PasswordHashScheme? {
        let fields = hash.split(separator: "$", omittingEmptySubsequences: false)
        guard fields.count >= 4, fields[0].isEmpty, hash.utf8.allSatisfy(isCryptCharacter) else { return nil }
        switch fields[1] {
        case "2a", "2b", "2y":
            guard fields.count == 4, fields[2].count == 2, let cost = Int(fields[2]), (4...maximumBcryptCost).contains(cost),
                fields[3].count == 53
            else { return nil }
            return .bcrypt
        case "1":
            return fields.count == 4 && fields[2].count <= 8 && fields[3].count == 22 ? .md5Crypt : nil
        case "5", "6":
            let rest = fields.dropFirst(2)
            let hasRounds = rest.first?.hasPrefix("rounds=") == true
            guard rest.count == (hasRounds ? 3 : 2), let digest = rest.last, rest.dropLast().last!.count <= 16 || hasRounds
            else { return nil }
            if hasRounds {
                let rounds = rest.first!.utf8.dropFirst("rounds=".count)
                guard (1...8).contains(rounds.count), rounds.allSatisfy({ (0x30...0x39).contains($0) }),
                    Int(Substring(rounds))! <= maximumSHACryptRounds
                else { return nil }
            }
            if fields[1] == "5" { return digest.count == 43 ? .sha256Crypt : nil }
            return digest.count == 86 ? .sha512Crypt : nil
        case "y":
            return fields.count == 5 && fields[4].count == 43 && yescryptBlocks(fields[2]) != nil ? .yescrypt : nil
        default:
            return nil
        }
    }

    /// Costs past these are refused: a stored hash must not make one login take minutes or
    /// gigabytes (libxcrypt computes bcrypt up to cost 31 and sha-crypt up to 999,999,999 rounds).
    /// bcrypt 16 takes ~5 s here, 5,000,000 sha512-crypt rounds ~3 s, 1 GiB of yescrypt ~4 s
    /// (libxcrypt's own highest cost, 11).
    static let maximumBcryptCost = 16
    static let maximumSHACryptRounds = 5_000_000
    static let maximumYescryptBlocks: UInt64 = 1 << 23  // N·r blocks of 128 bytes: 1 GiB

    /// The bytes a yescrypt hash needs (128 per block), or nil when it is not one.
    static func yescryptMemory(of hash: String) -> Int? {
        let fields = hash.split(separator: "$", omittingEmptySubsequences: false)
        guard fields.count == 5, fields[1] == "y", let blocks = yescryptBlocks(fields[2]) else { return nil }
        return Int(blocks) * 128
    }

    /// N·r of yescrypt parameters as libxcrypt writes them (`j9T`: flavour, log2 N − 1, r − 1),
    /// or nil when they are malformed, carry more (p, t, g, ROM) or ask for more than the maximum.
    static func yescryptBlocks(_ params: Substring) -> UInt64? {
        var digits = Array(params.utf8)[...]
        guard decode64(&digits, minimum: 0) != nil, let logN = decode64(&digits, minimum: 1), logN < 63,
            let r = decode64(&digits, minimum: 1), digits.isEmpty
        else { return nil }
        let (blocks, overflow) = (UInt64(1) << logN).multipliedReportingOverflow(by: r)
        return !overflow && blocks <= maximumYescryptBlocks ? blocks : nil
    }

    /// libxcrypt's variable-length base-64 number (`decode64_uint32`).
    private static func decode64(_ digits: inout ArraySlice<UInt8>, minimum: UInt64) -> UInt64? {
        let alphabet = Array("./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)
        guard let first = digits.popFirst(), let c = alphabet.firstIndex(of: first) else { return nil }
        var value = minimum, start = 0, end = 47, count = 1, bits: UInt64 = 0
        while c > end {
            value += UInt64(end + 1 - start) << bits
            start = end + 1
            end = start + (62 - end) / 2
            count += 1
            bits += 6
        }
        value += UInt64(c - start) << bits
        for _ in 1..<count {
            guard let next = digits.popFirst(), let digit = alphabet.firstIndex(of: next) else { return nil }
            bits -= 6
            value += UInt64(digit) << bits
        }
        return value
    }

    private static func isCryptCharacter(_ byte: UInt8) -> Bool {
        (0x21...0x7E).contains(byte) && byte != UInt8(ascii: ":")
    }

    /// Whether `password` hashes to `hash` under its own setting; compared in constant time.
    static func verify(_ password: Password, against hash: String) -> Bool {
        // crypt(3) reads C strings: a password with a NUL byte can't be what was hashed.
        guard !password.bytes.contains(0) else { return false }
        let data = UnsafeMutablePointer<crypt_data>.allocate(capacity: 1)
        data.initialize(to: crypt_data())
        defer {
            Sodium.wipe(data, count: MemoryLayout<crypt_data>.size)  // crypt's scratch holds the passphrase
            data.deallocate()
        }
        return password.bytes.withCString { phrase in
            guard let output = crypt_rn(phrase, hash, data, Int32(MemoryLayout<crypt_data>.size)) else { return false }
            let computed = Array(String(cString: output).utf8)
            return computed.first != UInt8(ascii: "*") && Sodium.constantTimeEqual(computed, Array(hash.utf8))
        }
    }

    /// The cost named in the hash, for counts (`cost=12`, `rounds=5000`).
    static func cost(of hash: String) -> String {
        let fields = hash.split(separator: "$", omittingEmptySubsequences: false)
        switch fields[1] {
        case "2a", "2b", "2y": return "cost=\(fields[2])"
        case "5", "6": return fields[2].hasPrefix("rounds=") ? String(fields[2]) : "rounds=5000"
        case "y": return "params=\(fields[2])"
        default: return ""
        }
    }
}
