import Foundation

/// Email addresses as accounts know them: trimmed, NFC-normalized, compared case-insensitively,
/// stored lowercase.
public enum Email {
    public static let maximumLength = 254

    /// The stored form of `text`, or `invalid_email`.
    public static func normalize(_ text: String) throws(AuthError) -> String {
        let email = text.trimmingCharacters(in: .whitespacesAndNewlines).precomposedStringWithCanonicalMapping.lowercased()
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard email.utf8.count <= maximumLength, parts.count == 2, !parts[0].isEmpty, isDomain(parts[1]),
            !email.unicodeScalars.contains(where: Self.isForbidden), !Self.startsLikeAFormula(email)
        else {
            throw AuthError(.invalidEmail, "The email address is not valid.")
        }
        return email
    }

    /// Controls, spaces and invisible format characters (zero-width joiners, bidi marks…),
    /// which would let two accounts look alike.
    private static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .spaceSeparator, .lineSeparator, .paragraphSeparator: true
        // RFC 5322 specials: valid only in quoted local parts, which no one types.
        default: "\"(),:;<>[\\]".unicodeScalars.contains(scalar)
        }
    }

    /// A leading `=`, `+`, `-` or `@` makes a spreadsheet run the cell as a formula when an
    /// export is opened in one; no real mailbox needs it.
    private static func startsLikeAFormula(_ email: String) -> Bool {
        guard let first = email.unicodeScalars.first else { return false }
        return "=+-@".unicodeScalars.contains(first)
    }

    /// A non-empty domain of non-empty dot-separated labels.
    private static func isDomain(_ domain: Substring) -> Bool {
        !domain.isEmpty && domain.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { !$0.isEmpty }
    }
}
