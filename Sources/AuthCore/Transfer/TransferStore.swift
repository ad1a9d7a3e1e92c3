/// The persistence export and import need.
public protocol TransferStore: Sendable {
    /// Calls `body` with every account, in creation order, from one consistent snapshot
    /// (writers may go on meanwhile).
    func forEachAccount(_ body: @escaping @Sendable (Account) throws -> Void) async throws
    /// Writes imported accounts all or nothing: conflicts with existing accounts (per `policy`)
    /// are found before any write; the writes go in short batches so a running server is never
    /// blocked for long, and if one fails (an email taken meanwhile) the earlier batches are
    /// taken back. When `dryRun`, nothing is written. An update that changes a hash or disables
    /// an account ends its sessions. `progress` hears how many records are done, now and then.
    func importAccounts(
        _ records: [ImportCandidate], policy: ImportConflictPolicy, dryRun: Bool, now: Int64,
        progress: (@Sendable (Int) -> Void)?
    ) async throws -> ImportResult
}
