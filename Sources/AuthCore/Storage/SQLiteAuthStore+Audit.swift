import Foundation
import GRDB

extension SQLiteAuthStore {
    public func appendAudit(_ event: AuditEvent) async throws {
        try await writer.write { db in try Self.insert(event, db: db) }
    }

    static func insert(_ event: AuditEvent, db: Database) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO audit_events (at, event, account_id, email, ip, user_agent, detail)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            event.at, event.kind.rawValue, event.accountID, event.email, event.ip, event.userAgent, event.detail,
        ])
    }

    public func auditEvents(_ filter: AuditFilter) async throws -> [AuditEvent] {
        try await writer.read { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let accountID = filter.accountID {
                conditions.append("account_id = ?")
                arguments += [accountID]
            }
            if let kind = filter.kind {
                conditions.append("event = ?")
                arguments += [kind.rawValue]
            }
            if let since = filter.since {
                conditions.append("at >= ?")
                arguments += [since]
            }
            let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            arguments += [filter.limit]
            return try Row.fetchAll(
                db.cachedStatement(sql: "SELECT * FROM audit_events \(whereClause) ORDER BY id DESC LIMIT ?"),
                arguments: arguments
            ).compactMap { row in
                guard let kind = AuditEvent.Kind(rawValue: row["event"]) else { return nil }
                var event = AuditEvent(
                    kind: kind, at: row["at"], accountID: row["account_id"], email: row["email"],
                    client: ClientInfo(ip: row["ip"], userAgent: row["user_agent"]), detail: row["detail"])
                event.id = row["id"]
                return event
            }
        }
    }
}
