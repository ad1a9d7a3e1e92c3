import AuthCrypto

/// Single-use recovery codes: ten per account, each 80 random bits as `xxxx-xxxx-xxxx-xxxx`
/// (lowercase base32). With that much entropy a SHA-256 is enough to store them (as refresh
/// tokens); a presented code is compared in constant time against every stored hash.
public enum RecoveryCodes {
    public static let count = 10
    static let byteCount = 10

    /// New codes and the hashes to store.
    static func generate(_ random: RandomSource) -> (codes: [String], hashes: [[UInt8]]) {
        let codes = (0..<count).map { _ in
            let text = Base32.encode(random.bytes(byteCount)).lowercased()
            return stride(from: 0, to: 16, by: 4).map { String(text.dropFirst($0).prefix(4)) }.joined(separator: "-")
        }
        return (codes, codes.map { hash($0) ?? [] })
    }

    /// The stored form of a presented code, read case-insensitively with or without dashes and
    /// spaces; nil when it can't be a code.
    static func hash(_ presented: String) -> [UInt8]? {
        let letters = presented.lowercased().unicodeScalars.filter { $0 != "-" && $0 != " " }
        guard letters.count == 16, letters.allSatisfy({ ("a"..."z").contains($0) || ("2"..."7").contains($0) }) else { return nil }
        return Sodium.sha256(Array(String(String.UnicodeScalarView(letters)).utf8))
    }

    /// The stored hash `presented` matches, comparing against each in constant time.
    static func match(_ presented: String, among stored: [[UInt8]]) -> [UInt8]? {
        guard let hash = hash(presented) else { return nil }
        var matched: [UInt8]?
        for candidate in stored where Sodium.constantTimeEqual(candidate, hash) && matched == nil {
            matched = candidate
        }
        return matched
    }
}
