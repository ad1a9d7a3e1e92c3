import AuthCore
import Foundation
import PostgresNIO
import PostgresSupport

extension PostgresAuthStore {
    public func signingKeys() async throws -> [SigningKey] {
        try await connection { db in
            try await db.rows("SELECT \(unescaped: SigningKey.columns) FROM signing_keys ORDER BY created_at, seq").map(SigningKey.init)
        }
    }

    /// A `current` key that meets another current key (nodes starting together on an empty
    /// database, each creating one) is not stored: the unique index on the current key keeps
    /// the first, and the caller reads the keys back. Any other conflict throws.
    public func insertSigningKey(_ key: SigningKey) async throws {
        try await connection { db in
            try await db.run(
                """
                INSERT INTO signing_keys (kid, state, public_key, sealed_private_key, created_at, activates_at, deactivated_at)
                VALUES (\(key.kid), \(key.state.rawValue), \(Data(key.publicKey)), \(Data(key.sealedPrivateKey)),
                        \(key.createdAt), \(key.activatesAt), \(key.deactivatedAt))
                ON CONFLICT (state) WHERE state = 'current' DO NOTHING
                """)
        }
    }

    /// Each change is a conditional update (only from the state it expects); the first that
    /// finds its key moved on (another node or `authctl` got there first) rolls them all back.
    /// A change that would make a second current key fails on the unique index and throws.
    public func applyKeyChanges(_ changes: [SigningKeyChange]) async throws -> Bool {
        do {
            return try await transaction { db in
                for change in changes {
                    let updated = try await db.count(
                        """
                        UPDATE signing_keys
                        SET state = \(change.to.rawValue), deactivated_at = coalesce(deactivated_at, \(change.deactivatedAt))
                        WHERE kid = \(change.kid) AND state = \(change.from.rawValue) RETURNING 1
                        """)
                    guard updated == 1 else { throw Rollback() }
                }
                return true
            }
        } catch is Rollback {
            return false
        }
    }
}

/// Thrown inside a transaction to undo it, answered as "nothing changed".
struct Rollback: Error {}
