import AuthCore
import Foundation
import PostgresNIO
import PostgresSupport

extension PostgresAuthStore {
    public func totpFactor(accountID: String) async throws -> TOTPFactor? {
        try await connection { db in
            try await db.rows("SELECT \(unescaped: TOTPFactor.columns) FROM totp_factors WHERE account_id = \(accountID)")
                .first.map(TOTPFactor.init)
        }
    }

    public func beginTOTPEnrolment(_ factor: TOTPFactor) async throws -> Bool {
        try await transaction { db in
            try await Self.lockAccount(factor.accountID, db: db)
            try await db.run("DELETE FROM totp_factors WHERE account_id = \(factor.accountID) AND confirmed_at IS NULL")
            return try await db.count(
                """
                INSERT INTO totp_factors (account_id, sealed_secret, created_at)
                VALUES (\(factor.accountID), \(Data(factor.sealedSecret)), \(factor.createdAt))
                ON CONFLICT DO NOTHING RETURNING 1
                """) == 1
        }
    }

    public func confirmTOTP(accountID: String, step: Int64, recoveryCodeHashes: [[UInt8]], now: Int64) async throws -> Bool {
        try await transaction { db in
            try await Self.lockAccount(accountID, db: db)
            let confirmed = try await db.count(
                """
                UPDATE totp_factors SET confirmed_at = \(now), last_step = \(step)
                WHERE account_id = \(accountID) AND confirmed_at IS NULL AND last_step < \(step) RETURNING 1
                """)
            guard confirmed == 1 else { return false }
            try await Self.storeRecoveryCodes(recoveryCodeHashes, accountID: accountID, db: db)
            try await Self.setMFAEnabled(true, accountID: accountID, now: now, db: db)
            return true
        }
    }

    public func useTOTPStep(accountID: String, step: Int64) async throws -> Bool {
        try await connection { db in
            try await db.count(
                """
                UPDATE totp_factors SET last_step = \(step)
                WHERE account_id = \(accountID) AND confirmed_at IS NOT NULL AND last_step < \(step) RETURNING 1
                """) == 1
        }
    }

    public func recoveryCodeHashes(accountID: String) async throws -> [[UInt8]] {
        try await connection { db in
            try await db.rows("SELECT code_hash FROM recovery_codes WHERE account_id = \(accountID)").map {
                [UInt8](try $0.decode(Data.self))
            }
        }
    }

    public func useRecoveryCode(accountID: String, hash: [UInt8]) async throws -> Bool {
        try await connection { db in
            try await db.count(
                "DELETE FROM recovery_codes WHERE account_id = \(accountID) AND code_hash = \(Data(hash)) RETURNING 1") == 1
        }
    }

    public func replaceRecoveryCodes(accountID: String, hashes: [[UInt8]]) async throws -> Bool {
        try await transaction { db in
            try await Self.lockAccount(accountID, db: db)
            guard try await Self.hasConfirmedTOTP(accountID, db: db) else { return false }
            try await Self.storeRecoveryCodes(hashes, accountID: accountID, db: db)
            return true
        }
    }

    public func removeTOTP(accountID: String, now: Int64) async throws -> Bool {
        try await transaction { db in
            try await Self.lockAccount(accountID, db: db)
            let wasOn = try await Self.hasConfirmedTOTP(accountID, db: db)
            try await db.run("DELETE FROM totp_factors WHERE account_id = \(accountID)")
            try await db.run("DELETE FROM recovery_codes WHERE account_id = \(accountID)")
            try await db.run("DELETE FROM mfa_challenges WHERE account_id = \(accountID)")
            if wasOn { try await Self.setMFAEnabled(false, accountID: accountID, now: now, db: db) }
            return wasOn
        }
    }

    public func createMFAChallenge(_ challenge: MFAChallenge) async throws {
        try await connection { db in
            try await db.run(
                """
                INSERT INTO mfa_challenges (token_hash, account_id, client_id, verified_hash, failures, created_at, expires_at)
                VALUES (\(Data(challenge.hash)), \(challenge.accountID), \(challenge.clientID), \(challenge.verifiedHash),
                        \(challenge.failures), \(challenge.createdAt), \(challenge.expiresAt))
                """)
        }
    }

    public func mfaChallenge(hash: [UInt8]) async throws -> MFAChallenge? {
        try await connection { db in
            try await db.rows("SELECT \(unescaped: MFAChallenge.columns) FROM mfa_challenges WHERE token_hash = \(Data(hash))")
                .first.map(MFAChallenge.init)
        }
    }

    public func recordMFAChallengeFailure(hash: [UInt8], limit: Int) async throws {
        try await transaction { db in
            try await db.run("UPDATE mfa_challenges SET failures = failures + 1 WHERE token_hash = \(Data(hash))")
            try await db.run("DELETE FROM mfa_challenges WHERE token_hash = \(Data(hash)) AND failures >= \(limit)")
        }
    }

    public func consumeMFAChallenge(hash: [UInt8], now: Int64) async throws -> Bool {
        try await connection { db in
            try await db.count(
                "DELETE FROM mfa_challenges WHERE token_hash = \(Data(hash)) AND expires_at > \(now) RETURNING 1") == 1
        }
    }

    public func purgeMFAChallenges(expiredBefore: Int64, limit: Int) async throws -> Int {
        try await connection { db in
            try await db.count(
                """
                DELETE FROM mfa_challenges WHERE token_hash IN (
                    SELECT token_hash FROM mfa_challenges WHERE expires_at < \(expiredBefore) LIMIT \(limit))
                RETURNING 1
                """)
        }
    }

    private static func hasConfirmedTOTP(_ accountID: String, db: Connection) async throws -> Bool {
        try await db.exists("SELECT 1 FROM totp_factors WHERE account_id = \(accountID) AND confirmed_at IS NOT NULL")
    }

    private static func storeRecoveryCodes(_ hashes: [[UInt8]], accountID: String, db: Connection) async throws {
        try await db.run("DELETE FROM recovery_codes WHERE account_id = \(accountID)")
        for hash in hashes {
            try await db.run("INSERT INTO recovery_codes (account_id, code_hash) VALUES (\(accountID), \(Data(hash)))")
        }
    }

    private static func setMFAEnabled(_ enabled: Bool, accountID: String, now: Int64, db: Connection) async throws {
        try await db.run("UPDATE accounts SET mfa_enabled = \(enabled), updated_at = \(now) WHERE id = \(accountID)")
    }
}
