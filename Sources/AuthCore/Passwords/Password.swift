import Foundation

/// A password as hashed: NFC-normalized (NIST SP 800-63B §5.1.1.2), UTF-8 bytes.
/// Never logged; its description is redacted.
public struct Password: Sendable, CustomStringConvertible {
    public let bytes: [UInt8]
    /// The number of Unicode code points after normalization, as NIST counts length.
    public let length: Int

    public init(_ text: String) {
        let normalized = text.precomposedStringWithCanonicalMapping
        bytes = Array(normalized.utf8)
        length = normalized.unicodeScalars.count
    }

    public var description: String { "<redacted>" }
}
