import Foundation

/// Email addresses as accounts know them: trimmed, NFC-normalized, compared case-insensitively,
/// stored lowercase.
public enum Email {
    public static let maximumLength = 254

    /// The stored form of `text`, or `invalid_email`.
    public static func normalize(_ text: String) throws(AuthError) -> String {
        let email =
            isVisibleASCII(text)
            ? text.lowercased()  // already NFC, nothing to trim: the common case, kept cheap for bulk imports
            : text.trimmingCharacters(in: .whitespacesAndNewlines).precomposedStringWithCanonicalMapping.lowercased()
        let bytes = Array(email.utf8)
        guard bytes.count <= maximumLength, let at = bytes.firstIndex(of: UInt8(ascii: "@")),
            bytes.lastIndex(of: UInt8(ascii: "@")) == at, at > 0, isDomain(bytes[(at + 1)...]),
            !email.unicodeScalars.contains(where: Self.isForbidden), !Self.startsLikeAFormula(email)
        else {
            throw AuthError(.invalidEmail, "The email address is not valid.")
        }
        return email
    }

    private static func isVisibleASCII(_ text: String) -> Bool {
        text.utf8.allSatisfy { (0x21...0x7E).contains($0) }
    }

    /// Controls, spaces and invisible format characters (zero-width joiners, bidi marks…),
    /// which would let two accounts look alike; and the RFC 5322 specials, valid only in
    /// quoted local parts, which no one types.
    private static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "\"", "(", ")", ",", ":", ";", "<", ">", "[", "\\", "]": return true
        case "!"..."~": return false
        default:
            switch scalar.properties.generalCategory {
            case .control, .format, .spaceSeparator, .lineSeparator, .paragraphSeparator: return true
            default: return false
            }
        }
    }

    /// A leading `=`, `+`, `-` or `@` makes a spreadsheet run the cell as a formula when an
    /// export is opened in one; no real mailbox needs it.
    private static func startsLikeAFormula(_ email: String) -> Bool {
        guard let first = email.unicodeScalars.first else { return false }
        return "=+-@".unicodeScalars.contains(first)
    }

    /// A non-empty domain of non-empty dot-separated labels.
    private static func isDomain(_ domain: ArraySlice<UInt8>) -> Bool {
        domain.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false).allSatisfy { !$0.isEmpty }
    }
}
