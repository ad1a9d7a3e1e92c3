import AuthCrypto
import Foundation

/// A password as hashed: NFC-normalized (NIST SP 800-63B §5.1.1.2), UTF-8 bytes, held in
/// memory that is wiped when the last copy of the password goes.
/// Never logged; its description is redacted.
public struct Password: Sendable, CustomStringConvertible {
    public let bytes: SecretBytes
    /// The bytes as typed, when normalization changed them: other systems hashed these.
    let typedBytes: SecretBytes?
    /// The number of Unicode code points after normalization, as NIST counts length.
    public let length: Int

    public init(_ text: String) {
        let normalized = text.precomposedStringWithCanonicalMapping
        bytes = SecretBytes(normalized.utf8)
        let typed = SecretBytes(text.utf8)
        typedBytes = typed.equals(bytes) ? nil : typed
        length = normalized.unicodeScalars.count
    }

    /// The same password as typed, unnormalized, for hashes made by systems that don't normalize.
    var asTyped: Password? {
        typedBytes.map(Password.init(rawBytes:))
    }

    private init(rawBytes: SecretBytes) {
        bytes = rawBytes
        typedBytes = nil
        length = 0
    }

    public var description: String { "<redacted>" }
}
