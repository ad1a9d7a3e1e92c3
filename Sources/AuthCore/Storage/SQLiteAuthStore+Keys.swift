import Foundation
import GRDB

extension SQLiteAuthStore {
    public func signingKeys() async throws -> [SigningKey] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM signing_keys ORDER BY created_at, rowid").map(
                SigningKey.init(row:))
        }
    }

    public func insertSigningKey(_ key: SigningKey) async throws {
        try await immediate { db in
            try db.cachedStatement(
                sql: """
                    INSERT INTO signing_keys (kid, state, public_key, sealed_private_key, created_at, activates_at, deactivated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """
            ).execute(arguments: [
                key.kid, key.state.rawValue, Data(key.publicKey), Data(key.sealedPrivateKey), key.createdAt,
                key.activatesAt, key.deactivatedAt,
            ])
        }
    }

    public func applyKeyChanges(_ changes: [SigningKeyChange]) async throws -> Bool {
        try await writer.writeWithoutTransaction { db in
            var applied = true
            try db.inTransaction(.immediate) {
                for change in changes {
                    try db.cachedStatement(
                        sql: """
                            UPDATE signing_keys SET state = ?, deactivated_at = coalesce(deactivated_at, ?)
                            WHERE kid = ? AND state = ?
                            """
                    ).execute(arguments: [change.to.rawValue, change.deactivatedAt, change.kid, change.from.rawValue])
                    guard db.changesCount == 1 else {
                        applied = false
                        return .rollback
                    }
                }
                return .commit
            }
            return applied
        }
    }
}

extension SigningKey {
    init(row: Row) {
        self.init(
            kid: row["kid"], state: State(rawValue: row["state"]) ?? .retired,
            publicKey: (row["public_key"] as Data).bytes, sealedPrivateKey: (row["sealed_private_key"] as Data).bytes,
            createdAt: row["created_at"], activatesAt: row["activates_at"], deactivatedAt: row["deactivated_at"])
    }
}
