import Foundation

/// Email addresses as accounts know them: trimmed, compared case-insensitively, stored lowercase.
public enum Email {
    public static let maximumLength = 254

    /// The stored form of `text`, or `invalid_email`.
    public static func normalize(_ text: String) throws(AuthError) -> String {
        let email = text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard email.utf8.count <= maximumLength, parts.count == 2, !parts[0].isEmpty, isDomain(parts[1]),
            !email.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0 == " " })
        else {
            throw AuthError(.invalidEmail, "The email address is not valid.")
        }
        return email
    }

    /// A non-empty domain of non-empty dot-separated labels.
    private static func isDomain(_ domain: Substring) -> Bool {
        !domain.isEmpty && domain.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { !$0.isEmpty }
    }
}
