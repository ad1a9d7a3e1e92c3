/// What to do when an imported account's email or id is already taken.
public enum ImportConflictPolicy: String, Sendable, CaseIterable {
    /// The import fails and writes nothing.
    case fail
    /// The existing account is kept as it is.
    case skip
    /// The existing account (same id and email) takes the file's hash and status.
    case update
}

/// A validated record and the line it came from.
public struct ImportCandidate: Sendable {
    public var line: Int
    public var record: TransferRecord

    public init(line: Int, record: TransferRecord) {
        self.line = line
        self.record = record
    }
}

/// The outcome of an import: counts, and the records refused by the conflict policy.
public struct ImportResult: Sendable, Equatable {
    public var created = 0
    public var updated = 0
    public var skipped = 0
    /// `line N: reason` for each conflict that failed the import (nothing was written then).
    public var conflicts: [String] = []

    public init() {}
}
