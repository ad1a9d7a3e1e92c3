import AuthCore
import Foundation
import Logging
import ServerSupport

/// The source of a lazy migration (`AUTH_MIGRATE_FROM`): Cognito, a generic HTTP endpoint, or none.
struct MigrationConfiguration: Sendable {
    enum Source: Sendable {
        case cognito(endpoint: URL, clientID: String, clientSecret: String?)
        case http(url: URL, token: String?)
    }

    var source: Source?
    var timeout: TimeInterval = 5

    init() {}

    /// Reads the settings; throws one line naming the first bad one, never a secret.
    init(_ settings: inout SettingsSource) throws {
        let from = try settings.optionalString("AUTH_MIGRATE_FROM", absent: "off", help: "cognito or http: where accounts without a hash here are checked at their first login")
        let clientID = try settings.optionalString("AUTH_COGNITO_CLIENT_ID", help: "the Cognito app client (required with cognito)")
        let clientSecret = try settings.optionalString("AUTH_COGNITO_CLIENT_SECRET", help: "the app client's secret, if it has one")
        let region = try settings.optionalString("AUTH_COGNITO_REGION", help: "the user pool's AWS region")
        let endpoint = try settings.optionalString("AUTH_COGNITO_ENDPOINT", absent: "https://cognito-idp.REGION.amazonaws.com/", help: "Cognito's endpoint")
        let url = try settings.optionalString("AUTH_MIGRATION_URL", help: "the endpoint that checks passwords (required with http)")
        let token = try settings.optionalString("AUTH_MIGRATION_TOKEN", help: "Bearer token sent to AUTH_MIGRATION_URL")
        timeout = TimeInterval(try settings.integer("AUTH_MIGRATION_TIMEOUT", default: 5, in: 1...60, help: "seconds each call to the source may take"))
        switch from {
        case nil:
            if let stray = [("AUTH_COGNITO_CLIENT_ID", clientID), ("AUTH_MIGRATION_URL", url)].first(where: { $0.1 != nil }) {
                throw StartupError.badSetting("\(stray.0) needs AUTH_MIGRATE_FROM")
            }
        case "cognito":
            guard let clientID else { throw StartupError.badSetting("AUTH_MIGRATE_FROM=cognito needs AUTH_COGNITO_CLIENT_ID") }
            guard url == nil, token == nil else { throw StartupError.badSetting("AUTH_MIGRATION_URL and AUTH_MIGRATION_TOKEN are for AUTH_MIGRATE_FROM=http") }
            guard let address = endpoint ?? region.map({ "https://cognito-idp.\($0).amazonaws.com/" }) else {
                throw StartupError.badSetting("AUTH_MIGRATE_FROM=cognito needs AUTH_COGNITO_REGION or AUTH_COGNITO_ENDPOINT")
            }
            source = .cognito(endpoint: try Self.checked(address, "AUTH_COGNITO_ENDPOINT"), clientID: clientID, clientSecret: clientSecret)
        case "http":
            guard let url else { throw StartupError.badSetting("AUTH_MIGRATE_FROM=http needs AUTH_MIGRATION_URL") }
            guard clientID == nil, clientSecret == nil else { throw StartupError.badSetting("AUTH_COGNITO_* settings are for AUTH_MIGRATE_FROM=cognito") }
            source = .http(url: try Self.checked(url, "AUTH_MIGRATION_URL"), token: token)
        case let other?:
            throw StartupError.badSetting("AUTH_MIGRATE_FROM must be cognito or http, not '\(other)'")
        }
    }

    /// A URL passwords may be sent to: https, or http on loopback.
    private static func checked(_ text: String, _ variable: String) throws -> URL {
        guard let url = URL(string: text), SourceRequest.isAcceptable(url), url.query == nil, url.fragment == nil, url.user == nil else {
            throw StartupError.badSetting("\(variable) must be an https URL (http only to a loopback address), without credentials or query")
        }
        return url
    }

    /// The source, ready to ask; nil when off.
    func passwordSource(logger: Logger) -> (any PasswordSource)? {
        switch source {
        case nil: nil
        case .cognito(let endpoint, let clientID, let clientSecret):
            CognitoPasswordSource(endpoint: endpoint, clientID: clientID, clientSecret: clientSecret, timeout: timeout, logger: logger)
        case .http(let url, let token): HTTPPasswordSource(url: url, token: token, timeout: timeout, logger: logger)
        }
    }

    /// What the start log says of it: never a secret.
    var loggable: String {
        switch source {
        case nil: "off"
        case .cognito(let endpoint, let clientID, let secret): "cognito \(endpoint) client \(clientID)\(secret == nil ? "" : " with secret")"
        case .http(let url, let token): "http \(url)\(token == nil ? "" : " with token")"
        }
    }
}
