import Foundation
import ServerSupport

/// The listings service's configuration: the `LISTINGS_*` settings of the contract.
struct ListingsConfiguration: Sendable {
    enum KeySource: Sendable, Equatable {
        case url(String)
        case file(String)
    }

    var host = "127.0.0.1"
    var port = 8081
    var database = DatabaseLocation.sqlite(path: "listings.sqlite")
    var keySource = KeySource.url("http://127.0.0.1:8080/.well-known/jwks.json")
    /// Seconds between JWKS refetches.
    var jwksRefresh = 300
    var issuer = "http://127.0.0.1:8080"
    var audience = "listings"
    var logging = LogSettings()
    var drainPeriod = Duration.seconds(GracefulShutdown.defaultDrainSeconds)
    /// Every setting read, with its default and meaning: what `--help` prints.
    var settingsHelp: [SettingHelp] = []

    init() {}

    /// Whether `host` names this machine: `localhost`, 127.0.0.0/8 or `::1`.
    static func isLoopback(_ host: String) -> Bool {
        let host = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        return host == "localhost" || host == "::1" || host.hasPrefix("127.") && host.split(separator: ".").count == 4
    }

    init(arguments: [String], environment: [String: String]) throws {
        var source = try SettingsSource(prefix: "LISTINGS_", arguments: arguments, environment: environment)
        host = try source.string("LISTINGS_HOST", default: host, help: "listen address")
        port = try source.integer("LISTINGS_PORT", default: port, in: 0...65_535, help: "listen port; 0 picks a free one")
        database = try source.database("LISTINGS_DATABASE", default: "listings.sqlite")
        let url = try source.optionalString("LISTINGS_JWKS_URL", help: "the token service's JWKS URL")
        let file = try source.optionalString("LISTINGS_JWKS_FILE", help: "a JWKS file instead of the URL")
        switch (url, file) {
        case (.some, .some):
            throw StartupError.badSetting("set LISTINGS_JWKS_URL or LISTINGS_JWKS_FILE, not both")
        case (.some(let url), nil):
            guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme), let host = parsed.host else {
                throw StartupError.badSetting("LISTINGS_JWKS_URL must be an http or https URL, not '\(url)'")
            }
            // Whoever can alter the key set can mint tokens: plain http only where no network is crossed.
            guard parsed.scheme == "https" || Self.isLoopback(host) else {
                throw StartupError.badSetting("LISTINGS_JWKS_URL must be https unless its host is a loopback address, not '\(url)'")
            }
            keySource = .url(url)
        case (nil, .some(let file)):
            keySource = .file(file)
        case (nil, nil):
            break
        }
        jwksRefresh = try source.integer("LISTINGS_JWKS_REFRESH", default: jwksRefresh, in: 1...86_400, help: "seconds between JWKS refetches")
        issuer = try source.string("LISTINGS_ISSUER", default: issuer, help: "the `iss` tokens must carry")
        audience = try source.string("LISTINGS_AUDIENCE", default: audience, help: "the `aud` tokens must carry")
        logging = try source.logSettings()
        drainPeriod = try source.drainPeriod()
        try source.rejectUnknownFlags()
        settingsHelp = source.documented
    }
}
