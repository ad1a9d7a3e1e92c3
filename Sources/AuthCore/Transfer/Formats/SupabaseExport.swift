/// Supabase/GoTrue `auth.users` as CSV (`\copy auth.users TO … CSV HEADER`): bcrypt hashes in
/// `encrypted_password`, PostgreSQL timestamps; a banned or deleted user arrives disabled.
enum SupabaseExport {
    static func read(_ text: String, now: Int64) -> [ImportRow] {
        CSVReader.rows(text, required: ["id", "email", "encrypted_password"]) { line, value in
            let bannedUntil = value("banned_until").flatMap(postgresTime)
            let disabled = value("deleted_at") != nil || (bannedUntil.map { $0 > now } ?? false)
            let created = value("created_at").flatMap(postgresTime).map(Timestamp.rfc3339)
            return (line, TransferRecord.validate(
                id: value("id"), email: value("email"), status: disabled ? "disabled" : "active", createdAt: created,
                passwordHash: value("encrypted_password"), now: now))
        }
    }

    /// `2024-01-15 10:30:00.123456+00` (PostgreSQL's text form) or RFC 3339.
    static func postgresTime(_ text: String) -> Int64? {
        var iso = text.replacingOccurrences(of: " ", with: "T")
        if let sign = iso.lastIndex(where: { $0 == "+" || $0 == "-" }), iso.distance(from: sign, to: iso.endIndex) == 3 {
            iso += ":00"
        }
        return Timestamp.parse(iso)
    }
}
