/// The second step of a login with TOTP on (`POST /v1/token`, `grant_type=mfa_otp` or
/// `mfa_recovery_code`): the `mfa_token` from the password step and a code open the session,
/// its tokens saying how (`amr`). A wrong code counts as a failed login for the email and
/// address, and against the `mfa_token`, which ends at its fifth.
public struct CompleteMFALogin: Sendable {
    public enum Proof: Sendable {
        case totp(String)
        case recoveryCode(String)
    }

    let accounts: any AccountStore
    let challenges: MFAChallenges
    let factors: SecondFactor
    let attempts: LoginAttempts
    let issuer: TokenIssuer
    let audit: AuditLog
    let settings: AuthSettings
    let metrics: AuthMetrics

    public func callAsFunction(mfaToken: String, proof: Proof, client: ClientInfo, clientID: String? = nil) async throws
        -> TokenGrant
    {
        let challenge = try await challenges.find(mfaToken)
        if let clientID, try ClientID.resolve(clientID, settings: settings) != challenge.clientID {
            throw AuthError(.invalidGrant, "The mfa_token was issued to another client.")
        }
        guard let account = try await accounts.account(id: challenge.accountID), account.status == .active else {
            throw AuthError.invalidMFAToken
        }
        let matched = try await attempts.attempt(key: account.email, client: client) {
            switch proof {
            case .totp(let code): try await factors.acceptTOTP(code, accountID: account.id)
            case .recoveryCode(let code): try await factors.acceptRecoveryCode(code, accountID: account.id)
            }
        }
        guard let matched else {
            try await challenges.recordFailure(challenge)
            metrics.login("failed")
            try await audit.record(.mfaFailed, accountID: account.id, email: account.email, client: client)
            throw AuthError(.invalidGrant, "The code is not valid.")
        }
        try await challenges.consume(challenge)
        let methods: AuthenticationMethods
        switch proof {
        case .totp: methods = .passwordAndTOTP
        case .recoveryCode:
            methods = .passwordAndRecoveryCode
            try await audit.record(.recoveryCodeUsed, accountID: account.id, email: account.email, client: client)
        }
        let grant = try await issuer.openSession(
            for: account, client: client, clientID: challenge.clientID, forgiving: matched.keys, methods: methods,
            verifiedHash: challenge.verifiedHash)
        metrics.login("succeeded")
        return grant
    }
}
