/// What a new password must be (NIST SP 800-63B §5.1.1.2): long enough, not absurdly long,
/// not among the most common passwords, not the email itself. No composition rules.
public struct PasswordPolicy: Sendable {
    public static let minimumLength = 8
    public static let maximumBytes = 1024

    /// Extra forbidden passwords from the operator, lowercased.
    public let extraBlocklist: Set<String>

    public init(extraBlocklist: Set<String> = []) {
        self.extraBlocklist = extraBlocklist
    }

    /// The normalized password, or a `weak_password` error naming the rule it breaks.
    public func check(_ text: String, email: String? = nil) throws(AuthError) -> Password {
        let password = Password(text)
        guard password.length >= Self.minimumLength else {
            throw AuthError(.weakPassword, "The password must have at least \(Self.minimumLength) characters.")
        }
        guard password.bytes.count <= Self.maximumBytes else {
            throw AuthError(.weakPassword, "The password must be at most \(Self.maximumBytes) bytes long.")
        }
        let lowered = password.bytes.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }.lowercased()
        guard !CommonPasswords.contains(lowered), !extraBlocklist.contains(lowered) else {
            throw AuthError(
                .weakPassword, "This password is too common and easy to guess; choose a longer or more unusual one.")
        }
        if let email, lowered == email.lowercased() {
            throw AuthError(.weakPassword, "The password must not be the email address.")
        }
        return password
    }
}

/// The built-in blocklist: the most common passwords of at least eight characters,
/// shipped in `Resources/common-passwords.txt` and compiled into the binary.
enum CommonPasswords {
    static let set: Set<String> = Set(commonPasswordsText.split(separator: "\n").map { String($0) })

    static func contains(_ lowercasedPassword: String) -> Bool { set.contains(lowercasedPassword) }
}
