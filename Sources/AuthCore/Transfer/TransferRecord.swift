import AuthCrypto
import Foundation
import WireFormat

/// An account in its portable form: what `authctl export` writes and `import` reads.
/// Fields in this order: `id`, `email`, `status`, `created_at`, `password_hash`, and the
/// optional `email_verified` (a JSON boolean, or `true`/`false` in CSV; absent means false).
public struct TransferRecord: Sendable, Equatable {
    public static let fields = ["id", "email", "status", "created_at", "password_hash", "email_verified"]

    public var id: String
    public var email: String
    public var status: Account.Status
    public var createdAt: Int64
    /// nil: an account awaiting lazy migration (moved in without its hash).
    public var passwordHash: String?
    public var emailVerified: Bool

    public init(
        id: String, email: String, status: Account.Status, createdAt: Int64, passwordHash: String?, emailVerified: Bool = false
    ) {
        self.id = id
        self.email = email
        self.status = status
        self.createdAt = createdAt
        self.passwordHash = passwordHash
        self.emailVerified = emailVerified
    }

    public init(_ account: Account) {
        self.init(
            id: account.id, email: account.email, status: account.status, createdAt: account.createdAt,
            passwordHash: account.passwordHash, emailVerified: account.emailVerified)
    }

    /// One JSON Lines line, without the newline; `password_hash` is null for an account awaiting migration.
    public var jsonLine: String {
        JSONText.object([
            ("id", JSONText.string(id)), ("email", JSONText.string(email)), ("status", JSONText.string(status.rawValue)),
            ("created_at", JSONText.string(Timestamp.rfc3339(createdAt))),
            ("password_hash", passwordHash.map { JSONText.string($0) } ?? "null"),
            ("email_verified", emailVerified ? "true" : "false"),
        ])
    }

    /// One CSV row (RFC 4180), without the line break; `password_hash` is empty for an account awaiting migration.
    public var csvRow: String {
        [id, email, status.rawValue, Timestamp.rfc3339(createdAt), passwordHash ?? "", emailVerified ? "true" : "false"]
            .map(CSV.quote).joined(separator: ",")
    }

    /// Checks and normalizes raw field values; the reason names what is wrong, never a hash.
    /// `system` names the source of a foreign id that is not a UUID (`auth0`, `rodauth`, …):
    /// such an id becomes a UUID derived from it, the same at every import. With `hashOptional`,
    /// a missing hash makes an account awaiting lazy migration instead of an error.
    public static func validate(
        id rawID: String?, email: String?, status: String?, createdAt: String?, passwordHash: String?, now: Int64,
        system: String? = nil, emailVerified: Bool = false, hashOptional: Bool = false
    ) -> Result<TransferRecord, TransferError> {
        guard let rawID, !rawID.isEmpty else { return .failure(.init("id is missing")) }
        var id = rawID
        if !isUUID(rawID) {
            guard let system else { return .failure(.init("id is not a UUID")) }
            id = derivedID(system: system, id: rawID)
        }
        guard let email, let normalized = try? Email.normalize(email) else {
            return .failure(.init("email is missing or not a valid address"))
        }
        guard let parsedStatus = Account.Status(rawValue: status ?? "active") else {
            return .failure(.init("status must be active or disabled"))
        }
        var created = now
        if let createdAt, !createdAt.isEmpty {
            guard let seconds = Timestamp.parse(createdAt, naiveAsUTC: system != nil) else {
                return .failure(.init("created_at is not an RFC 3339 time"))
            }
            created = seconds
        }
        guard let passwordHash, !passwordHash.isEmpty else {
            if hashOptional {
                return .success(
                    TransferRecord(
                        id: id.lowercased(), email: normalized, status: parsedStatus, createdAt: created, passwordHash: nil,
                        emailVerified: emailVerified))
            }
            return .failure(.init("password_hash is missing"))
        }
        guard PasswordHashScheme.identify(passwordHash) != nil else {
            return .failure(.init("password_hash is not a recognised hash format"))
        }
        return .success(
            TransferRecord(
                id: id.lowercased(), email: normalized, status: parsedStatus, createdAt: created, passwordHash: passwordHash,
                emailVerified: emailVerified))
    }
}

extension TransferRecord {
    /// Whether `text` is a UUID in its canonical 8-4-4-4-12 hex form (either case). Stricter and
    /// cheaper than `UUID(uuidString:)`, whose sscanf lets spaces and `0x` through.
    public static func isUUID(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 36 else { return false }
        return bytes.indices.allSatisfy { index in
            [8, 13, 18, 23].contains(index)
                ? bytes[index] == UInt8(ascii: "-")
                : (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index])
                    || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(bytes[index] | 0x20)
        }
    }

    /// A UUID (version 8, RFC 9562) from the SHA-256 of a foreign id: stable across imports.
    static func derivedID(system: String, id: String) -> String {
        var bytes = Array(Sodium.sha256(Array("\(system):\(id)".utf8)).prefix(16))
        bytes[6] = bytes[6] & 0x0F | 0x80
        bytes[8] = bytes[8] & 0x3F | 0x80
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8], bytes[9],
                           bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15])).uuidString.lowercased()
    }
}

/// Why a record can't be imported.
public struct TransferError: Error, Equatable, CustomStringConvertible {
    public let description: String
    /// A user with no password to move (SSO, OAuth, phone-only, service accounts): left out and
    /// counted, not a reason to fail the import.
    public let isPasswordless: Bool

    public init(_ description: String) {
        self.description = description
        isPasswordless = false
    }

    private init(passwordless description: String) {
        self.description = description
        isPasswordless = true
    }

    /// A user who signs in without a password in the source system.
    public static func passwordless(_ description: String) -> TransferError { TransferError(passwordless: description) }
}
