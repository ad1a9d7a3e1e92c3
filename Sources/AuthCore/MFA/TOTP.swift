import AuthCrypto

/// Time-based one-time passwords, RFC 6238 with RFC 4226's truncation: HMAC-SHA-1, 6 digits,
/// 30-second steps from 1970 — what every authenticator app computes from the `otpauth` URI.
public enum TOTP {
    public static let digits = 6
    public static let period: Int64 = 30
    /// Steps accepted either side of now: one, for clocks a little off and codes typed slowly.
    public static let drift: Int64 = 1
    /// 160-bit secrets, RFC 4226's recommendation.
    public static let secretLength = 20

    /// The time step of `time` (seconds since 1970).
    public static func step(at time: Int64) -> Int64 { time / period }

    /// The code for `step`, as the digits the user types.
    public static func code(secret: SecretBytes, step: Int64, digits: Int = digits) -> String {
        let counter = (0..<8).map { UInt8(truncatingIfNeeded: UInt64(bitPattern: step) >> (56 - 8 * $0)) }
        let mac = LegacyDigests.hmacSHA1(key: secret, counter)
        let offset = Int(mac[mac.count - 1] & 0x0f)
        let binary = (UInt32(mac[offset] & 0x7f) << 24) | (UInt32(mac[offset + 1]) << 16) | (UInt32(mac[offset + 2]) << 8)
            | UInt32(mac[offset + 3])
        var modulus: UInt32 = 1
        for _ in 0..<digits { modulus *= 10 }
        let text = String(binary % modulus)
        return String(repeating: "0", count: digits - text.count) + text
    }

    /// The step `code` is valid for at `time`, within the drift and after `lastStep` (a code
    /// once accepted is never accepted again); nil when there is none. Every candidate is
    /// compared in constant time.
    public static func matchingStep(_ code: String, secret: SecretBytes, at time: Int64, after lastStep: Int64) -> Int64? {
        guard code.utf8.count == digits, code.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else {
            return nil
        }
        let now = step(at: time)
        var matched: Int64?
        for candidate in (now - drift)...(now + drift) where candidate > lastStep {
            if Sodium.constantTimeEqual(Array(Self.code(secret: secret, step: candidate).utf8), Array(code.utf8)), matched == nil {
                matched = candidate
            }
        }
        return matched
    }
}
