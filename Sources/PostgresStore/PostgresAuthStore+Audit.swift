import AuthCore
import PostgresNIO
import PostgresSupport

extension PostgresAuthStore {
    public func appendAudit(_ event: AuditEvent) async throws {
        try await connection { db in try await Self.insert(event, db: db) }
    }

    static func insert(_ event: AuditEvent, db: Connection) async throws {
        try await db.run(
            """
            INSERT INTO audit_events (at, event, account_id, email, ip, user_agent, detail)
            VALUES (\(event.at), \(event.kind.rawValue), \(event.accountID), \(event.email), \(event.ip), \(event.userAgent),
                    \(event.detail))
            """)
    }

    public func auditEvents(_ filter: AuditFilter) async throws -> [AuditEvent] {
        try await connection { db in
            try await db.rows(
                """
                SELECT id, at, event, account_id, email, ip, user_agent, detail FROM audit_events
                WHERE (\(filter.accountID)::text IS NULL OR account_id = \(filter.accountID))
                  AND (\(filter.kind?.rawValue)::text IS NULL OR event = \(filter.kind?.rawValue))
                  AND (\(filter.since)::bigint IS NULL OR at >= \(filter.since))
                ORDER BY id DESC LIMIT \(filter.limit)
                """
            ).compactMap { row in
                var cells = Cells(row)
                let (id, at) = (try cells.take(Int64.self), try cells.take(Int64.self))
                guard let kind = AuditEvent.Kind(rawValue: try cells.take()) else { return nil }
                var event = AuditEvent(
                    kind: kind, at: at, accountID: try cells.take(), email: try cells.take(),
                    client: ClientInfo(ip: try cells.take(), userAgent: try cells.take()), detail: try cells.take())
                event.id = id
                return event
            }
        }
    }
}
