/// A listing as stored and served.
struct Listing: Sendable, Equatable {
    enum Status: String, Sendable, CaseIterable { case active, archived, sold }

    var id: String
    /// The `sub` of the token that created it.
    var ownerID: String
    var title: String
    var description: String
    var priceCents: Int64
    var currency: String
    var status: Status
    /// Milliseconds since 1970.
    var createdAt: Int64
    var updatedAt: Int64
    /// Creation order, strictly increasing: "newest first" is exact even within one millisecond.
    var sequence: Int64
}
