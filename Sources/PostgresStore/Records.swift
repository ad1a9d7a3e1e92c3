import AuthCore
import Foundation
import PostgresNIO
import PostgresSupport

// The domain's records read from rows: each type takes its `columns`, in that order (select
// them with `\(unescaped: T.columns)`, or `prefixed` when a join names them).

/// `columns` with each name qualified by the table alias `alias`.
func prefixed(_ columns: String, _ alias: String) -> String {
    columns.split(separator: ",").map { "\(alias).\($0.trimmingCharacters(in: .whitespacesAndNewlines))" }
        .joined(separator: ", ")
}

extension Account {
    static let columns = "id, email, status, password_hash, created_at, updated_at, email_verified, mfa_enabled"

    init(_ cells: inout Cells) throws {
        self.init(
            id: try cells.take(), email: try cells.take(), status: Status(rawValue: try cells.take()) ?? .disabled,
            passwordHash: try cells.take(), createdAt: try cells.take(), updatedAt: try cells.take(),
            emailVerified: try cells.take(), mfaEnabled: try cells.take())
    }

    init(_ row: PostgresRow) throws {
        var cells = Cells(row)
        try self.init(&cells)
    }
}

extension Session {
    static let columns = """
        id, account_id, created_at, last_used_at, expires_at, ended_at, end_reason, generation, rotated_at_ms, \
        user_agent, ip, client_id, amr
        """

    init(_ cells: inout Cells) throws {
        self.init(
            id: try cells.take(), accountID: try cells.take(), createdAt: try cells.take(), lastUsedAt: try cells.take(),
            expiresAt: try cells.take(), endedAt: try cells.take(), endReason: try cells.take(),
            generation: try cells.take(), rotatedAtMillis: try cells.take(), userAgent: try cells.take(),
            ip: try cells.take(), clientID: try cells.take(),
            authenticationMethods: AuthenticationMethods(rawValue: try cells.take()) ?? .password)
    }

    init(_ row: PostgresRow) throws {
        var cells = Cells(row)
        try self.init(&cells)
    }
}

extension SigningKey {
    static let columns = "kid, state, public_key, sealed_private_key, created_at, activates_at, deactivated_at"

    init(_ row: PostgresRow) throws {
        var cells = Cells(row)
        self.init(
            kid: try cells.take(), state: State(rawValue: try cells.take()) ?? .retired, publicKey: try cells.bytes(),
            sealedPrivateKey: try cells.bytes(), createdAt: try cells.take(), activatesAt: try cells.take(),
            deactivatedAt: try cells.take())
    }
}

extension EmailToken {
    static let columns = "token_hash, account_id, purpose, email, created_at, expires_at"

    init?(_ row: PostgresRow) throws {
        var cells = Cells(row)
        let (hash, accountID) = (try cells.bytes(), try cells.take(String.self))
        guard let purpose = Purpose(rawValue: try cells.take()) else { return nil }
        self.init(
            hash: hash, accountID: accountID, purpose: purpose, email: try cells.take(), createdAt: try cells.take(),
            expiresAt: try cells.take())
    }
}

extension OutgoingMail {
    static let columns = "id, account_id, recipient, purpose, sealed_message, created_at, queued_at, attempts"

    init?(_ row: PostgresRow) throws {
        var cells = Cells(row)
        let (id, accountID, recipient) = (try cells.take(String.self), try cells.take(String?.self), try cells.take(String.self))
        guard let purpose = MailPurpose(rawValue: try cells.take()), let sealed = try cells.take(Data?.self) else { return nil }
        self.init(
            id: id, accountID: accountID, recipient: recipient, purpose: purpose, sealedMessage: [UInt8](sealed),
            createdAt: try cells.take(), queuedAt: try cells.take(), attempts: try cells.take())
    }
}

extension MailSummary {
    static let columns = "id, recipient, purpose, status, attempts, created_at, last_error"

    init?(_ row: PostgresRow) throws {
        var cells = Cells(row)
        let (id, recipient) = (try cells.take(String.self), try cells.take(String.self))
        guard let purpose = MailPurpose(rawValue: try cells.take()), let status = MailStatus(rawValue: try cells.take()) else {
            return nil
        }
        self.init(
            id: id, to: recipient, purpose: purpose, status: status, attempts: try cells.take(), createdAt: try cells.take(),
            lastError: try cells.take())
    }
}

extension TOTPFactor {
    static let columns = "account_id, sealed_secret, confirmed_at, last_step, created_at"

    init(_ row: PostgresRow) throws {
        var cells = Cells(row)
        self.init(
            accountID: try cells.take(), sealedSecret: try cells.bytes(), confirmed: try cells.take(Int64?.self) != nil,
            lastStep: try cells.take(), createdAt: try cells.take())
    }
}

extension MFAChallenge {
    static let columns = "token_hash, account_id, client_id, verified_hash, failures, created_at, expires_at"

    init(_ row: PostgresRow) throws {
        var cells = Cells(row)
        self.init(
            hash: try cells.bytes(), accountID: try cells.take(), clientID: try cells.take(), verifiedHash: try cells.take(),
            failures: try cells.take(), createdAt: try cells.take(), expiresAt: try cells.take())
    }
}
