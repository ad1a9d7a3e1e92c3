/// The persistence account use cases need. Each method is one transaction; what a change
/// does to the account's sessions is the caller's decision (`SessionsToEnd`), carried out in
/// the change's own commit so that no crash can leave one without the other.
public protocol AccountStore: Sendable {
    /// Inserts a new account; throws `account_exists` when its email or id is taken.
    func insertAccount(_ account: Account) async throws
    func account(email: String) async throws -> Account?
    func account(id: String) async throws -> Account?
    /// Accounts in email order, after `email` when given.
    func accounts(afterEmail email: String?, limit: Int) async throws -> [Account]
    /// Deletes an account with its sessions; false when there is none.
    func deleteAccount(id: String) async throws -> Bool
    /// Replaces the hash only if it is still `expected` (an upgrade racing a password change loses).
    func replacePasswordHash(accountID: String, expected: String, with newHash: String, now: Int64) async throws -> Bool
    /// Stores the first hash of an account awaiting lazy migration (only while it has none), and
    /// marks its email verified if `emailVerified`; false when it has a hash by now.
    func adoptMigratedPassword(accountID: String, hash: String, emailVerified: Bool, now: Int64) async throws -> Bool
    /// Sets the account's status and ends `ending`; false when there is no such account.
    func setStatus(accountID: String, status: Account.Status, ending: SessionsToEnd, now: Int64) async throws -> Bool
    /// Sets a new hash, voids the account's reset tokens and ends `ending`; false when there is
    /// no such account.
    @discardableResult
    func setPassword(accountID: String, hash: String, ending: SessionsToEnd, now: Int64) async throws -> Bool
}

/// Which of an account's open sessions a change to the account ends, in the same commit.
public enum SessionsToEnd: Sendable, Equatable {
    case none
    case all(SessionEndReason)
    /// Every one but the session making the change.
    case allBut(String, SessionEndReason)
}
