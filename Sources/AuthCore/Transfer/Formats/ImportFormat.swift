import Foundation

/// One record of an import file: its line and either the validated record or why it is bad.
public typealias ImportRow = (line: Int, result: Result<TransferRecord, TransferError>)

/// The file formats `authctl import` reads: this service's own exports and those of the
/// systems teams migrate from.
public enum ImportFormat: String, Sendable, CaseIterable {
    /// This service's export as JSON Lines.
    case jsonl
    /// This service's export as CSV with a header row.
    case csv
    /// Auth0's password-hash export (NDJSON with `passwordHash`).
    case auth0
    /// Supabase/GoTrue `auth.users` as CSV (`encrypted_password`).
    case supabase
    /// A Keycloak realm export (JSON with `users` and their `credentials`).
    case keycloak
    /// Ory Kratos identities (JSON array, `credentials.password.config.hashed_password`).
    case kratos
    /// rodauth's `accounts` joined with `account_password_hashes`, as CSV.
    case rodauth
    /// Django `dumpdata auth.user` JSON.
    case django
    /// `aws cognito-idp list-users` output: accounts without hashes, awaiting lazy migration.
    case cognito

    /// The format of `text`, judged from its first record; nil when it is none we know.
    public static func detect(_ text: String) -> ImportFormat? {
        let start = text.drop(while: \.isWhitespace)
        if start.hasPrefix("[") {
            let head = start.prefix(4096)
            if head.contains("\"model\"") { return .django }
            if head.contains("\"traits\"") { return .kratos }
            return nil
        }
        let firstLine = start.prefix { !$0.isNewline }
        if start.hasPrefix("{"), start.prefix(4096).contains("\"Users\""), start.prefix(4096).contains("\"Attributes\"") {
            return .cognito
        }
        if firstLine.hasPrefix("{") {
            if firstLine.contains("\"password_hash\"") { return .jsonl }
            if firstLine.contains("\"passwordHash\"") { return .auth0 }
            if start.prefix(65_536).contains("\"users\"") { return .keycloak }
            return nil
        }
        let header = Set(firstLine.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() })
        if header.contains("encrypted_password") { return .supabase }
        if header.contains("status_id") && header.contains("password_hash") { return .rodauth }
        if header.contains("email") && header.contains("password_hash") { return .csv }
        return nil
    }

    /// The records of `text` by line, each validated or with the reason it is bad.
    public func read(_ text: String, now: Int64) -> [ImportRow] {
        switch self {
        case .jsonl: OwnFormats.readJSONLines(text, now: now)
        case .csv: OwnFormats.readCSV(text, now: now)
        case .auth0: Auth0Export.read(text, now: now)
        case .supabase: SupabaseExport.read(text, now: now)
        case .keycloak: KeycloakExport.read(text, now: now)
        case .kratos: KratosExport.read(text, now: now)
        case .rodauth: RodauthExport.read(text, now: now)
        case .django: DjangoExport.read(text, now: now)
        case .cognito: CognitoExport.read(text, now: now)
        }
    }
}
