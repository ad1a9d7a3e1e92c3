/// Every store protocol the token service's capabilities declare, in one database: what a
/// store implementation (SQLite today, PostgreSQL for several nodes) provides. Each capability
/// depends only on its own protocol; the composition root hands the one store to all of them.
public typealias AuthStore = AccountStore & SessionStore & LoginFailureStore & KeyStore & AuditStore & TransferStore
    & EmailTokenStore & OutboxStore & MFAStore & StoreLifecycle

/// What the server needs of a store as a whole.
public protocol StoreLifecycle: Sendable {
    /// Throws when the store can't serve: unreachable, or its schema isn't current.
    func checkReady() async throws
    /// Closes the database (after the last use; a WAL database is checkpointed).
    func close() throws
}
