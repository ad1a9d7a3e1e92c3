/// The persistence export and import need. Which imported record creates, updates or skips an
/// account is the domain's decision (`ImportAccounts`); the store finds what each record
/// collides with, and writes the decided actions all or nothing.
public protocol TransferStore: Sendable {
    /// Calls `body` with every account, in creation order, from one consistent snapshot
    /// (writers may go on meanwhile).
    func forEachAccount(_ body: @escaping @Sendable (Account) throws -> Void) async throws
    /// For each record, in order, what it collides with now: the id of the account holding its
    /// email, and the email and hash of the account holding its id (all nil: nothing).
    func collisions(of records: [TransferRecord]) async throws -> [ImportCollision]
    /// Writes `actions` in order, all or nothing, in short transactions so a running server is
    /// never blocked for long; if one can't be written (an email taken meanwhile, an account
    /// deleted meanwhile), the transactions already committed are taken back and the failures
    /// are returned as `line N: reason`. An update also ends the sessions it names.
    /// `progress` hears how many actions are done, now and then.
    func writeImport(_ actions: [ImportAction], now: Int64, progress: (@Sendable (Int) -> Void)?) async throws -> [String]
}

/// What an imported record collides with.
public struct ImportCollision: Sendable, Equatable {
    /// The id of the account that has the record's email.
    public var idOfEmail: String?
    /// The email of the account that has the record's id.
    public var emailOfID: String?
    /// The password hash of the account that has the record's id.
    public var hashOfID: String?

    public init(idOfEmail: String?, emailOfID: String?, hashOfID: String?) {
        self.idOfEmail = idOfEmail
        self.emailOfID = emailOfID
        self.hashOfID = hashOfID
    }

    public static let none = ImportCollision(idOfEmail: nil, emailOfID: nil, hashOfID: nil)
}

/// One write an import decided on.
public enum ImportAction: Sendable {
    /// A new account.
    case create(ImportCandidate)
    /// The existing account with this id and email takes the record's hash and status, ending `ending`.
    case update(ImportCandidate, ending: SessionsToEnd)
}
