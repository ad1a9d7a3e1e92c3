/// Appends security events, stamped with the clock's time.
public struct AuditLog: Sendable {
    let store: any AuditStore
    let clock: WallClock

    public init(store: any AuditStore, clock: WallClock) {
        self.store = store
        self.clock = clock
    }

    func record(
        _ kind: AuditEvent.Kind, accountID: String? = nil, email: String = "", client: ClientInfo? = nil, detail: String = ""
    ) async throws {
        try await store.appendAudit(
            AuditEvent(kind: kind, at: clock.seconds, accountID: accountID, email: email, client: client, detail: detail))
    }
}
