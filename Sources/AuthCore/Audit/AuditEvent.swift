/// A security event as the audit log keeps it: who, from where, what. Never a password,
/// token or hash.
public struct AuditEvent: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case signUp = "signup"
        case loginSucceeded = "login_succeeded", loginFailed = "login_failed", loginThrottled = "login_throttled"
        case refreshReuseDetected = "refresh_reuse_detected"
        case logout, sessionRevoked = "session_revoked", passwordChanged = "password_changed"
        case accountCreated = "account_created", accountDisabled = "account_disabled"
        case accountEnabled = "account_enabled", accountDeleted = "account_deleted", accountUnlocked = "account_unlocked"
        case keyRotated = "key_rotated", keyRetired = "key_retired"
        case importRun = "import_run", exportRun = "export_run"
        case emailVerificationRequested = "email_verification_requested", emailVerified = "email_verified"
        case passwordResetRequested = "password_reset_requested", passwordReset = "password_reset"
        case emailChangeRequested = "email_change_requested", emailChanged = "email_changed"
        case emailTokenRefused = "email_token_refused", mailRequeued = "mail_requeued"
        case mfaEnabled = "mfa_enabled", mfaDisabled = "mfa_disabled", mfaFailed = "mfa_failed"
        case recoveryCodeUsed = "recovery_code_used", recoveryCodesRegenerated = "recovery_codes_regenerated"
        case mfaReset = "mfa_reset", accountMigrated = "account_migrated"
    }

    /// Its position in the log (0 until stored).
    public var id: Int64
    public var at: Int64
    public var kind: Kind
    public var accountID: String?
    public var email: String
    public var ip: String
    public var userAgent: String
    /// A short, secret-free note: a session id, a count, a key id.
    public var detail: String

    public init(
        kind: Kind, at: Int64, accountID: String? = nil, email: String = "", client: ClientInfo? = nil, detail: String = ""
    ) {
        id = 0
        self.at = at
        self.kind = kind
        self.accountID = accountID
        self.email = String(email.prefix(254))
        ip = client?.ip ?? ""
        userAgent = client?.userAgent ?? ""
        self.detail = detail
    }
}

/// Which events to read back.
public struct AuditFilter: Sendable {
    public var accountID: String?
    public var kind: AuditEvent.Kind?
    public var since: Int64?
    public var limit: Int

    public init(accountID: String? = nil, kind: AuditEvent.Kind? = nil, since: Int64? = nil, limit: Int = 100) {
        self.accountID = accountID
        self.kind = kind
        self.since = since
        self.limit = limit
    }
}
