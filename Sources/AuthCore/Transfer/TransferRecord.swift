import AuthTokens
import Foundation

/// An account in its portable form: what `authctl export` writes and `import` reads.
/// Fields in this order: `id`, `email`, `status`, `created_at`, `password_hash`.
public struct TransferRecord: Sendable, Equatable {
    public static let fields = ["id", "email", "status", "created_at", "password_hash"]

    public var id: String
    public var email: String
    public var status: Account.Status
    public var createdAt: Int64
    public var passwordHash: String

    public init(id: String, email: String, status: Account.Status, createdAt: Int64, passwordHash: String) {
        self.id = id
        self.email = email
        self.status = status
        self.createdAt = createdAt
        self.passwordHash = passwordHash
    }

    public init(_ account: Account) {
        self.init(
            id: account.id, email: account.email, status: account.status, createdAt: account.createdAt,
            passwordHash: account.passwordHash)
    }

    var values: [String] { [id, email, status.rawValue, Timestamp.rfc3339(createdAt), passwordHash] }

    /// One JSON Lines line, without the newline.
    public var jsonLine: String {
        JSONText.object(zip(Self.fields, values).map { ($0, JSONText.string($1)) })
    }

    /// One CSV row (RFC 4180), without the line break.
    public var csvRow: String { values.map(CSV.quote).joined(separator: ",") }

    /// Checks and normalizes raw field values; the reason names what is wrong, never a hash.
    public static func validate(
        id: String?, email: String?, status: String?, createdAt: String?, passwordHash: String?, now: Int64
    ) -> Result<TransferRecord, TransferError> {
        guard let id, UUID(uuidString: id) != nil else { return .failure(.init("id is not a UUID")) }
        guard let email, let normalized = try? Email.normalize(email) else {
            return .failure(.init("email is missing or not a valid address"))
        }
        guard let parsedStatus = Account.Status(rawValue: status ?? "active") else {
            return .failure(.init("status must be active or disabled"))
        }
        var created = now
        if let createdAt, !createdAt.isEmpty {
            guard let seconds = Timestamp.parse(createdAt) else { return .failure(.init("created_at is not an RFC 3339 time")) }
            created = seconds
        }
        guard let passwordHash, !passwordHash.isEmpty else { return .failure(.init("password_hash is missing")) }
        guard PasswordHashScheme.identify(passwordHash) != nil else {
            return .failure(.init("password_hash is not a recognised hash format"))
        }
        return .success(
            TransferRecord(id: id.lowercased(), email: normalized, status: parsedStatus, createdAt: created, passwordHash: passwordHash))
    }
}

/// Why a record can't be imported.
public struct TransferError: Error, Equatable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
