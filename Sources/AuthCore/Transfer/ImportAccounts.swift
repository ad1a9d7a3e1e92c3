/// Imports accounts with their password hashes (`authctl import`): all or nothing. Every record
/// is checked against the accounts there before anything is written; `policy` says what a
/// collision does (fail the import, skip the record, or update the same account); an update
/// that changes the hash or disables the account ends its sessions, as a password change or
/// a disable would. Returns what was (or, when `dryRun`, would be) done.
public struct ImportAccounts: Sendable {
    let store: any TransferStore
    let audit: AuditLog
    let actor: ClientInfo
    let clock: WallClock

    public func callAsFunction(
        _ candidates: [ImportCandidate], policy: ImportConflictPolicy, dryRun: Bool = false, format: String,
        progress: (@Sendable (Int) -> Void)? = nil
    ) async throws -> ImportResult {
        let collisions = try await store.collisions(of: candidates.map(\.record))
        var result = ImportResult()
        var actions: [ImportAction] = []
        actions.reserveCapacity(candidates.count)
        for (candidate, collision) in zip(candidates, collisions) {
            switch Self.decide(candidate, collision, policy: policy) {
            case .write(let action):
                actions.append(action)
                if case .create = action { result.created += 1 } else { result.updated += 1 }
            case .skip: result.skipped += 1
            case .conflict(let reason): result.conflicts.append("line \(candidate.line): \(reason)")
            }
        }
        guard result.conflicts.isEmpty, !dryRun else { return result }
        let failures = try await store.writeImport(actions, now: clock.seconds, progress: progress)
        guard failures.isEmpty else {
            var failed = ImportResult()
            failed.conflicts = failures
            return failed
        }
        try await audit.record(
            .importRun, client: actor,
            detail: "\(format): \(result.created) created, \(result.updated) updated, \(result.skipped) skipped")
        return result
    }

    enum Decision {
        case write(ImportAction)
        case skip
        case conflict(String)
    }

    /// The conflict policy for one record.
    static func decide(_ candidate: ImportCandidate, _ collision: ImportCollision, policy: ImportConflictPolicy) -> Decision {
        let record = candidate.record
        if collision == .none { return .write(.create(candidate)) }
        switch policy {
        case .fail:
            return .conflict(collision.idOfEmail != nil ? "an account with this email exists" : "an account with this id exists")
        case .skip:
            return .skip
        case .update:
            guard collision.idOfEmail == record.id, collision.emailOfID == record.email else {
                return .conflict("the email and id belong to different accounts")
            }
            // As with a disable or a password change: the old sessions end.
            let ending: SessionsToEnd =
                record.status == .disabled
                ? .all(.accountDisabled)
                : record.passwordHash != nil && collision.hashOfID != record.passwordHash ? .all(.passwordChanged) : .none
            return .write(.update(candidate, ending: ending))
        }
    }
}
