import Foundation
import GRDB

extension SQLiteAuthStore {
    public func totpFactor(accountID: String) async throws -> TOTPFactor? {
        try await writer.read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM totp_factors WHERE account_id = ?"), arguments: [accountID])
                .map(TOTPFactor.init(row:))
        }
    }

    public func beginTOTPEnrolment(_ factor: TOTPFactor) async throws -> Bool {
        try await immediate { db in
            try db.cachedStatement(sql: "DELETE FROM totp_factors WHERE account_id = ? AND confirmed_at IS NULL")
                .execute(arguments: [factor.accountID])
            try db.cachedStatement(
                sql: """
                    INSERT INTO totp_factors (account_id, sealed_secret, created_at) VALUES (?, ?, ?)
                    ON CONFLICT DO NOTHING
                    """
            ).execute(arguments: [factor.accountID, Data(factor.sealedSecret), factor.createdAt])
            return db.changesCount == 1
        }
    }

    public func confirmTOTP(accountID: String, step: Int64, recoveryCodeHashes: [[UInt8]], now: Int64) async throws -> Bool {
        try await immediate { db in
            try db.cachedStatement(
                sql: """
                    UPDATE totp_factors SET confirmed_at = ?, last_step = ?
                    WHERE account_id = ? AND confirmed_at IS NULL AND last_step < ?
                    """
            ).execute(arguments: [now, step, accountID, step])
            guard db.changesCount == 1 else { return false }
            try Self.storeRecoveryCodes(recoveryCodeHashes, accountID: accountID, db: db)
            try Self.setMFAEnabled(true, accountID: accountID, now: now, db: db)
            return true
        }
    }

    public func useTOTPStep(accountID: String, step: Int64) async throws -> Bool {
        try await immediate { db in
            try db.cachedStatement(
                sql: "UPDATE totp_factors SET last_step = ? WHERE account_id = ? AND confirmed_at IS NOT NULL AND last_step < ?"
            ).execute(arguments: [step, accountID, step])
            return db.changesCount == 1
        }
    }

    public func recoveryCodeHashes(accountID: String) async throws -> [[UInt8]] {
        try await writer.read { db in
            try Data.fetchAll(db.cachedStatement(sql: "SELECT code_hash FROM recovery_codes WHERE account_id = ?"), arguments: [accountID])
                .map(\.bytes)
        }
    }

    public func useRecoveryCode(accountID: String, hash: [UInt8]) async throws -> Bool {
        try await immediate { db in
            try db.cachedStatement(sql: "DELETE FROM recovery_codes WHERE account_id = ? AND code_hash = ?")
                .execute(arguments: [accountID, Data(hash)])
            return db.changesCount == 1
        }
    }

    public func replaceRecoveryCodes(accountID: String, hashes: [[UInt8]]) async throws -> Bool {
        try await immediate { db in
            guard try Self.hasConfirmedTOTP(accountID, db: db) else { return false }
            try Self.storeRecoveryCodes(hashes, accountID: accountID, db: db)
            return true
        }
    }

    public func removeTOTP(accountID: String, now: Int64) async throws -> Bool {
        try await immediate { db in
            let wasOn = try Self.hasConfirmedTOTP(accountID, db: db)
            try db.cachedStatement(sql: "DELETE FROM totp_factors WHERE account_id = ?").execute(arguments: [accountID])
            try db.cachedStatement(sql: "DELETE FROM recovery_codes WHERE account_id = ?").execute(arguments: [accountID])
            try db.cachedStatement(sql: "DELETE FROM mfa_challenges WHERE account_id = ?").execute(arguments: [accountID])
            if wasOn { try Self.setMFAEnabled(false, accountID: accountID, now: now, db: db) }
            return wasOn
        }
    }

    public func createMFAChallenge(_ challenge: MFAChallenge) async throws {
        try await immediate { db in
            try db.cachedStatement(
                sql: """
                    INSERT INTO mfa_challenges (token_hash, account_id, client_id, verified_hash, failures, created_at, expires_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """
            ).execute(arguments: [
                Data(challenge.hash), challenge.accountID, challenge.clientID, challenge.verifiedHash, challenge.failures,
                challenge.createdAt, challenge.expiresAt,
            ])
        }
    }

    public func mfaChallenge(hash: [UInt8]) async throws -> MFAChallenge? {
        try await writer.read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM mfa_challenges WHERE token_hash = ?"), arguments: [Data(hash)])
                .map(MFAChallenge.init(row:))
        }
    }

    public func recordMFAChallengeFailure(hash: [UInt8], limit: Int) async throws {
        try await immediate { db in
            try db.cachedStatement(sql: "UPDATE mfa_challenges SET failures = failures + 1 WHERE token_hash = ?")
                .execute(arguments: [Data(hash)])
            try db.cachedStatement(sql: "DELETE FROM mfa_challenges WHERE token_hash = ? AND failures >= ?")
                .execute(arguments: [Data(hash), limit])
        }
    }

    public func consumeMFAChallenge(hash: [UInt8], now: Int64) async throws -> Bool {
        try await immediate { db in
            try db.cachedStatement(sql: "DELETE FROM mfa_challenges WHERE token_hash = ? AND expires_at > ?")
                .execute(arguments: [Data(hash), now])
            return db.changesCount == 1
        }
    }

    public func purgeMFAChallenges(expiredBefore: Int64, limit: Int) async throws -> Int {
        try await immediate { db in
            try db.cachedStatement(
                sql: "DELETE FROM mfa_challenges WHERE token_hash IN (SELECT token_hash FROM mfa_challenges WHERE expires_at < ? LIMIT ?)"
            ).execute(arguments: [expiredBefore, limit])
            return db.changesCount
        }
    }

    private static func hasConfirmedTOTP(_ accountID: String, db: Database) throws -> Bool {
        try Bool.fetchOne(
            db.cachedStatement(sql: "SELECT 1 FROM totp_factors WHERE account_id = ? AND confirmed_at IS NOT NULL"),
            arguments: [accountID]) == true
    }

    private static func storeRecoveryCodes(_ hashes: [[UInt8]], accountID: String, db: Database) throws {
        try db.cachedStatement(sql: "DELETE FROM recovery_codes WHERE account_id = ?").execute(arguments: [accountID])
        let insert = try db.cachedStatement(sql: "INSERT INTO recovery_codes (account_id, code_hash) VALUES (?, ?)")
        for hash in hashes { try insert.execute(arguments: [accountID, Data(hash)]) }
    }

    private static func setMFAEnabled(_ enabled: Bool, accountID: String, now: Int64, db: Database) throws {
        try db.cachedStatement(sql: "UPDATE accounts SET mfa_enabled = ?, updated_at = ? WHERE id = ?")
            .execute(arguments: [enabled, now, accountID])
    }
}

extension TOTPFactor {
    init(row: Row) {
        self.init(
            accountID: row["account_id"], sealedSecret: (row["sealed_secret"] as Data).bytes,
            confirmed: row["confirmed_at"] as Int64? != nil, lastStep: row["last_step"], createdAt: row["created_at"])
    }
}

extension MFAChallenge {
    init(row: Row) {
        self.init(
            hash: (row["token_hash"] as Data).bytes, accountID: row["account_id"], clientID: row["client_id"],
            verifiedHash: row["verified_hash"], failures: row["failures"], createdAt: row["created_at"],
            expiresAt: row["expires_at"])
    }
}
