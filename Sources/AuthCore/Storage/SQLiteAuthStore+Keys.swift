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

    public func retireSigningKey(kid: String, now: Int64) async throws -> Bool {
        try await immediate { db in
            try db.cachedStatement(
                sql: """
                    UPDATE signing_keys SET state = 'retired', deactivated_at = coalesce(deactivated_at, ?)
                    WHERE kid = ? AND state IN ('standby', 'previous')
                    """
            ).execute(arguments: [now, kid])
            return db.changesCount == 1
        }
    }

    public func rotateDueKeys(now: Int64, retireBefore: Int64) async throws -> Bool {
        try await immediate { db in
            var changed = false
            if let due = try String.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT kid FROM signing_keys WHERE state = 'standby' AND activates_at <= ?
                        ORDER BY activates_at DESC, rowid DESC LIMIT 1
                        """), arguments: [now])
            {
                try db.cachedStatement(
                    sql: "UPDATE signing_keys SET state = 'previous', deactivated_at = ? WHERE state = 'current'"
                ).execute(arguments: [now])
                try db.cachedStatement(sql: "UPDATE signing_keys SET state = 'current' WHERE kid = ?").execute(
                    arguments: [due])
                changed = true
            }
            try db.cachedStatement(
                sql: "UPDATE signing_keys SET state = 'retired' WHERE state = 'previous' AND deactivated_at < ?"
            ).execute(arguments: [retireBefore])
            return changed || db.changesCount > 0
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
