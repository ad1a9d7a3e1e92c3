import Logging
import ServerSupport

/// Where the listings service keeps listings: a SQLite file (`SQLiteListingStore`) or a
/// PostgreSQL database several nodes share (`PostgresListingStore`), with the same rules.
protocol ListingStore: Sendable {
    /// Stores a new listing and returns it with its creation sequence.
    func insert(_ listing: Listing) async throws -> Listing
    /// The owner's listing with this id; nil for another owner's, as if it didn't exist.
    func listing(id: String, ownerID: String) async throws -> Listing?
    /// Up to `limit` of the owner's listings with `status`, newest first, created before `before`,
    /// and whether more follow.
    nonisolated(nonsending) func page(
        ownerID: String, status: Listing.Status, before: Int64?, limit: Int
    ) async throws -> ListingPage
    /// Saves the changed fields of the owner's listing; false when it no longer exists.
    func update(_ listing: Listing) async throws -> Bool
    /// Deletes the owner's listing; false when there is none.
    func delete(id: String, ownerID: String) async throws -> Bool
    /// Throws unless the database answers (the readiness check).
    func ping() async throws
    /// Closes the database, after the last use.
    func close() throws
}

/// The store `location` names, created or migrated as needed.
func openListingStore(_ location: DatabaseLocation, logger: Logger) async throws -> any ListingStore {
    switch location {
    case .sqlite(let path):
        return try SQLiteListingStore.open(path: path)
    case .postgres(let url, let poolSize):
        do {
            return try await PostgresListingStore.open(url, poolSize: poolSize, logger: logger)
        } catch {
            throw StartupError.cannotStart("LISTINGS_DATABASE: \(error)")
        }
    }
}
