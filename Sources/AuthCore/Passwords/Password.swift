import Foundation

/// A password as hashed: NFC-normalized (NIST SP 800-63B §5.1.1.2), UTF-8 bytes.
/// Never logged; its description is redacted.
public struct Password: Sendable, CustomStringConvertible {
    public let bytes: [UInt8]
    /// The bytes as typed, before normalization: other systems hashed these.
    public let typedBytes: [UInt8]
    /// The number of Unicode code points after normalization, as NIST counts length.
    public let length: Int

    public init(_ text: String) {
        let normalized = text.precomposedStringWithCanonicalMapping
        bytes = Array(normalized.utf8)
        typedBytes = Array(text.utf8)
        length = normalized.unicodeScalars.count
    }

    /// The same password as typed, unnormalized, for hashes made by systems that don't normalize.
    var asTyped: Password? {
        typedBytes == bytes ? nil : Password(rawBytes: typedBytes)
    }

    private init(rawBytes: [UInt8]) {
        bytes = rawBytes
        typedBytes = rawBytes
        length = 0
    }

    public var description: String { "<redacted>" }
}
