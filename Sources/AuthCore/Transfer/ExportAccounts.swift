import Synchronization

/// The formats accounts are exported in: this service's own, read back by `ImportAccounts`.
public enum ExportFormat: String, Sendable, CaseIterable {
    /// One JSON object a line.
    case jsonl
    /// A header line, then one row an account.
    case csv
}

/// Exports every account with its password hash, as standard strings another system can
/// verify (`authctl export`), from one consistent snapshot; each line goes to `write`. The
/// export is audited; returns how many accounts it wrote.
public struct ExportAccounts: Sendable {
    let store: any TransferStore
    let audit: AuditLog
    let actor: ClientInfo

    @discardableResult
    public func callAsFunction(format: ExportFormat, write: @escaping @Sendable (String) -> Void) async throws -> Int {
        if format == .csv { write(TransferRecord.fields.joined(separator: ",")) }
        let count = Atomic<Int>(0)
        try await store.forEachAccount { account in
            let record = TransferRecord(account)
            write(format == .csv ? record.csvRow : record.jsonLine)
            count.add(1, ordering: .relaxed)
        }
        let exported = count.load(ordering: .relaxed)
        try await audit.record(.exportRun, client: actor, detail: "\(exported) accounts, \(format.rawValue)")
        return exported
    }
}
