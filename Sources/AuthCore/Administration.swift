/// The admin flows `authctl` runs, each its own use case, each audited as done by `actor`
/// (the OS user running the command). The CLI parses arguments, calls these, and prints.
public struct Administration: Sendable {
    public let findAccount: FindAccount
    public let listAccounts: ListAccounts
    public let createAccount: CreateAccount
    public let disableAccount: DisableAccount
    public let enableAccount: EnableAccount
    public let deleteAccount: DeleteAccount
    public let setPassword: SetPassword
    public let unlockAccount: UnlockAccount
    public let revokeSessions: RevokeSessions
    public let listSessions: ListSessions
    public let retireKey: RetireKey
    public let importAccounts: ImportAccounts
    public let exportAccounts: ExportAccounts
    public let listMail: ListMail
    public let retryMail: RetryMail
    public let resetMFA: ResetMFA
    let store: any AuthStore
    let actor: ClientInfo
    let audit: AuditLog
    let clock: WallClock

    /// `settings.argon2` is the cost of the passwords admins set: the servers'.
    public init(
        store: any AuthStore, actor: ClientInfo, settings: AuthSettings = AuthSettings(),
        clock: WallClock = .system, random: RandomSource = .system
    ) {
        self.store = store
        self.actor = actor
        self.clock = clock
        let audit = AuditLog(store: store, clock: clock)
        self.audit = audit
        let policy = PasswordPolicy(extraBlocklist: settings.extraBlocklist)
        findAccount = FindAccount(accounts: store)
        listAccounts = ListAccounts(accounts: store)
        createAccount = CreateAccount(
            accounts: store, cost: settings.argon2, policy: policy, audit: audit, actor: actor, clock: clock, random: random)
        disableAccount = DisableAccount(accounts: store, audit: audit, actor: actor, clock: clock)
        enableAccount = EnableAccount(accounts: store, audit: audit, actor: actor, clock: clock)
        deleteAccount = DeleteAccount(accounts: store, audit: audit, actor: actor)
        setPassword = SetPassword(accounts: store, cost: settings.argon2, policy: policy, audit: audit, actor: actor, clock: clock)
        unlockAccount = UnlockAccount(failures: store, audit: audit, actor: actor)
        revokeSessions = RevokeSessions(sessions: store, audit: audit, actor: actor, clock: clock)
        listSessions = ListSessions(sessions: store, idleTTL: settings.sessionIdleTTL, clock: clock)
        retireKey = RetireKey(store: store, audit: audit, actor: actor, clock: clock)
        importAccounts = ImportAccounts(store: store, audit: audit, actor: actor, clock: clock)
        exportAccounts = ExportAccounts(store: store, audit: audit, actor: actor)
        listMail = ListMail(outbox: store)
        retryMail = RetryMail(outbox: store, audit: audit, clock: clock, actor: actor)
        resetMFA = ResetMFA(store: store, audit: audit, actor: actor, clock: clock)
    }

    /// Key rotation, which needs the key-encryption key to seal the new key.
    public func rotateKey(with keys: KeyRing) -> RotateKey {
        RotateKey(store: store, keys: keys, audit: audit, actor: actor, clock: clock)
    }

}
