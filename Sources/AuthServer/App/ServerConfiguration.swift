import AuthCore
import AuthTokens
import Foundation
import Logging
import PostgresStore
import PostgresSupport
import ServerSupport

/// The token service's configuration: every `AUTH_*` setting of the contract, from
/// flags and environment, each with a built-in default so no configuration is needed.
struct ServerConfiguration: Sendable {
    var host = "127.0.0.1"
    var port = 8080
    /// A SQLite file, or a PostgreSQL database shared by any number of nodes.
    var database = DatabaseLocation.sqlite(path: "auth.sqlite")
    /// Defaults to `auth.key` next to the SQLite database; required with PostgreSQL.
    var keyFilePath: String?
    var settings = AuthSettings()
    var mail = MailConfiguration()
    var migration = MigrationConfiguration()
    /// Password hashes computed at once.
    var hashConcurrency = ProcessInfo.processInfo.activeProcessorCount
    /// Hashes that may wait for a free thread before logins get 503.
    var hashQueue = 16 * ProcessInfo.processInfo.activeProcessorCount
    /// The binary started as the argon2 workers (`Argon2Workers`): the server's own, set by its
    /// `main`; nil hashes in this process (the in-process tests). Not a setting.
    var argon2WorkerExecutable: String?
    var blocklistPath: String?
    /// Requests per minute, and burst, each client address may make to sign-up, token and revoke.
    var rateLimitPerMinute = 300
    var rateLimitBurst = 60
    var trustedProxies = TrustedProxies.none
    /// Browser origins allowed to call the API (CORS); none by default.
    var corsOrigins: Set<String> = []
    var logging = LogSettings()
    var drainPeriod = Duration.seconds(GracefulShutdown.defaultDrainSeconds)
    /// Every setting read, with its default and meaning: what `--help` prints.
    var settingsHelp: [SettingHelp] = []
    /// `AUTH_*` variables that name no setting (typos, probably), to warn about.
    var unknownVariables: [String] = []

    /// Where the service's own files go by default: beside the SQLite file, or beside the key
    /// file with PostgreSQL.
    var dataDirectory: String {
        guard case .sqlite(let path) = database else { return Self.directory(of: resolvedKeyFilePath) }
        return Self.directory(of: path)
    }

    /// The key file actually used (with PostgreSQL, the start refuses without one named).
    var resolvedKeyFilePath: String {
        if let keyFilePath { return keyFilePath }
        guard case .sqlite(let path) = database else { return "auth.key" }
        return URL(fileURLWithPath: Self.directory(of: path)).appendingPathComponent("auth.key").path
    }

    private static func directory(of path: String) -> String {
        URL(fileURLWithPath: path).deletingLastPathComponent().path
    }

    init() {}

    /// Reads every setting; throws one line naming the first bad one.
    init(arguments: [String], environment: [String: String]) throws {
        var source = try SettingsSource(prefix: "AUTH_", arguments: arguments, environment: environment)
        host = try source.string("AUTH_HOST", default: host, help: "listen address")
        port = try source.integer("AUTH_PORT", default: port, in: 0...65_535, help: "listen port; 0 picks a free one")
        database = try source.database("AUTH_DATABASE", default: "auth.sqlite")
        keyFilePath = try source.optionalString("AUTH_KEY_FILE", absent: "auth.key next to the database", help: "key-encryption key sealing the signing keys")
        if case .postgres = database, keyFilePath == nil {
            throw StartupError.badSetting("AUTH_KEY_FILE is required with a PostgreSQL database: every node needs the same key file")
        }
        var settings = AuthSettings()
        settings.issuer = try source.string("AUTH_ISSUER", default: settings.issuer, help: "`iss` of tokens")
        guard let issuerURL = URL(string: settings.issuer), ["http", "https"].contains(issuerURL.scheme), issuerURL.host != nil,
            issuerURL.query == nil, issuerURL.fragment == nil
        else { throw StartupError.badSetting("AUTH_ISSUER must be an http or https URL without query or fragment") }
        settings.audience = try source.string("AUTH_AUDIENCE", default: settings.audience, help: "`aud` of tokens")
        settings.accessTokenTTL = try source.integer("AUTH_ACCESS_TTL", default: settings.accessTokenTTL, in: 1...86_400, help: "access-token lifetime, seconds")
        let algorithm = try source.choice("AUTH_JWS_ALG", default: "EdDSA", among: JWSAlgorithm.allCases.map(\.rawValue), help: "`alg` of issued tokens")
        settings.jwsAlgorithm = JWSAlgorithm(rawValue: algorithm)!
        settings.sessionIdleTTL = try source.integer("AUTH_SESSION_IDLE_TTL", default: settings.sessionIdleTTL, in: 60...31_622_400, help: "a session unused this long ends, seconds")
        settings.sessionTTL = try source.integer("AUTH_SESSION_TTL", default: settings.sessionTTL, in: 60...31_622_400, help: "a session ends this long after login, seconds")
        guard settings.accessTokenTTL <= settings.sessionIdleTTL, settings.sessionIdleTTL <= settings.sessionTTL else {
            throw StartupError.badSetting(
                "need AUTH_ACCESS_TTL ≤ AUTH_SESSION_IDLE_TTL ≤ AUTH_SESSION_TTL, not \(settings.accessTokenTTL), \(settings.sessionIdleTTL), \(settings.sessionTTL)")
        }
        settings.refreshGrace = try source.integer("AUTH_REFRESH_GRACE", default: settings.refreshGrace, in: 0...300, help: "seconds the refresh token just rotated away may be exchanged again")
        settings.argon2 = Argon2Parameters(
            memoryKiB: try source.integer("AUTH_ARGON2_MEMORY_KIB", default: settings.argon2.memoryKiB, in: 8...4_194_304, help: "argon2id memory of new hashes, KiB"),
            iterations: try source.integer("AUTH_ARGON2_ITERATIONS", default: settings.argon2.iterations, in: 1...100, help: "argon2id passes of new hashes"),
            parallelism: try source.integer("AUTH_ARGON2_PARALLELISM", default: settings.argon2.parallelism, in: 1...64, help: "argon2id lanes of new hashes"))
        guard settings.argon2.isValid else {
            throw StartupError.badSetting(
                "AUTH_ARGON2_MEMORY_KIB must be at least 8 × AUTH_ARGON2_PARALLELISM, and AUTH_ARGON2_MEMORY_KIB × "
                    + "AUTH_ARGON2_ITERATIONS at most \(Argon2Parameters.maximumWork)")
        }
        hashConcurrency = try source.integer("AUTH_HASH_CONCURRENCY", default: hashConcurrency, in: 1...256, help: "password hashes computed at once")
        hashQueue = try source.integer("AUTH_HASH_QUEUE", default: 16 * hashConcurrency, in: 0...100_000, help: "password checks that may wait; past it 503")
        settings.lockoutThreshold = try source.integer("AUTH_LOCKOUT_THRESHOLD", default: settings.lockoutThreshold, in: 1...1_000, help: "failed logins per email and address before throttling")
        settings.lockoutBase = try source.integer("AUTH_LOCKOUT_BASE", default: settings.lockoutBase, in: 1...86_400, help: "first throttling delay, seconds")
        settings.lockoutMax = try source.integer("AUTH_LOCKOUT_MAX", default: settings.lockoutMax, in: 1...86_400, help: "longest throttling delay, seconds")
        guard settings.lockoutBase <= settings.lockoutMax else {
            throw StartupError.badSetting("AUTH_LOCKOUT_BASE must not exceed AUTH_LOCKOUT_MAX")
        }
        settings.lockoutAccountThreshold = try source.integer(
            "AUTH_LOCKOUT_ACCOUNT_THRESHOLD", default: max(settings.lockoutAccountThreshold, settings.lockoutThreshold),
            in: 1...100_000, help: "failed logins per account, all addresses, before new addresses are throttled")
        guard settings.lockoutAccountThreshold >= settings.lockoutThreshold else {
            throw StartupError.badSetting("AUTH_LOCKOUT_ACCOUNT_THRESHOLD must be at least AUTH_LOCKOUT_THRESHOLD")
        }
        settings.defaultClientID = try source.string("AUTH_DEFAULT_CLIENT_ID", default: settings.defaultClientID, help: "`client_id` of token requests that name none")
        guard ClientID.isWellFormed(settings.defaultClientID) else {
            throw StartupError.badSetting("AUTH_DEFAULT_CLIENT_ID must be 1–64 characters of A–Z, a–z, 0–9, '.', '_', ':' or '-'")
        }
        if let list = try source.optionalString("AUTH_CLIENTS", absent: "any well-formed id", help: "the client ids token requests may name, comma-separated") {
            let clients = Set(list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
            if let bad = clients.first(where: { !ClientID.isWellFormed($0) }) {
                throw StartupError.badSetting("AUTH_CLIENTS: '\(bad)' is not a well-formed client id")
            }
            guard !clients.isEmpty else { throw StartupError.badSetting("AUTH_CLIENTS must list at least one client id") }
            settings.clients = clients
        }
        settings.retentionDays = try source.integer("AUTH_RETENTION_DAYS", default: settings.retentionDays, in: 1...36_500, help: "days ended sessions and used refresh tokens are kept")
        guard settings.retentionDays * 86_400 >= settings.sessionTTL else {
            throw StartupError.badSetting("AUTH_RETENTION_DAYS must cover AUTH_SESSION_TTL, or reuse of old refresh tokens would go unseen")
        }
        settings.auditRetentionDays = try source.integer(
            "AUTH_AUDIT_RETENTION_DAYS", default: settings.auditRetentionDays, in: 1...36_500, help: "days audit events are kept")
        mail = try MailConfiguration(&source, settings: &settings)
        migration = try MigrationConfiguration(&source)
        settings.mfaTokenTTL = try source.integer("AUTH_MFA_TOKEN_TTL", default: settings.mfaTokenTTL, in: 1...3_600, help: "seconds a login may wait for its second factor")
        settings.totpIssuer = try source.optionalString("AUTH_TOTP_ISSUER", absent: "the issuer's host", help: "issuer name authenticator apps show")
        rateLimitPerMinute = try source.integer("AUTH_RATE_LIMIT_PER_MINUTE", default: rateLimitPerMinute, in: 1...1_000_000, help: "requests per minute per address to sign-up, token, revoke and the email endpoints")
        rateLimitBurst = try source.integer("AUTH_RATE_LIMIT_BURST", default: rateLimitBurst, in: 1...1_000_000, help: "burst of those requests per address")
        trustedProxies = try TrustedProxies(
            (try source.optionalString("AUTH_TRUSTED_PROXIES", help: "reverse proxies whose X-Forwarded-For names the client") ?? "").split(separator: ",").map(String.init))
        blocklistPath = try source.optionalString("AUTH_PASSWORD_BLOCKLIST", help: "file of extra forbidden passwords")
        if let blocklistPath {
            guard let data = FileManager.default.contents(atPath: blocklistPath) else {
                throw StartupError.badSetting("AUTH_PASSWORD_BLOCKLIST: cannot read \(blocklistPath)")
            }
            settings.extraBlocklist = Set(
                String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline)
                    .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty })
        }
        corsOrigins = try source.corsOrigins()
        logging = try source.logSettings()
        drainPeriod = try source.drainPeriod()
        try source.rejectUnknownFlags()
        settingsHelp = source.documented
        unknownVariables = source.unusedVariables()
        self.settings = settings
    }

    /// The effective settings for the start-up log line; none of them is a secret.
    var loggable: Logger.Metadata {
        [
            "host": "\(host)", "port": "\(port)", "database": "\(database)", "key_file": "\(resolvedKeyFilePath)",
            "issuer": "\(settings.issuer)", "audience": "\(settings.audience)", "access_ttl": "\(settings.accessTokenTTL)",
            "jws_alg": "\(settings.jwsAlgorithm.rawValue)", "session_idle_ttl": "\(settings.sessionIdleTTL)",
            "session_ttl": "\(settings.sessionTTL)", "refresh_grace": "\(settings.refreshGrace)",
            "argon2": "\(settings.argon2)", "hash_concurrency": "\(hashConcurrency)", "hash_queue": "\(hashQueue)",
            "lockout": "\(settings.lockoutThreshold)/\(settings.lockoutAccountThreshold) \(settings.lockoutBase)-\(settings.lockoutMax)s",
            "rate_limit": "\(rateLimitPerMinute)/min burst \(rateLimitBurst)",
            "blocklist_entries": "\(settings.extraBlocklist.count)", "default_client_id": "\(settings.defaultClientID)",
            "clients": "\(settings.clients.map { $0.sorted().joined(separator: ",") } ?? "any")",
            "retention_days": "\(settings.retentionDays)/\(settings.auditRetentionDays)", "drain_seconds": "\(drainPeriod.components.seconds)",
            "mail": "\(mail.smtp?.redacted ?? "files in " + mail.mailFolder(dataDirectory: dataDirectory))",
            "mail_from": "\(mail.sender(issuer: settings.issuer))",
            "verify_on_signup": "\(settings.verifyOnSignUp)", "require_verified_email": "\(settings.requireVerifiedEmail)",
            "mfa_token_ttl": "\(settings.mfaTokenTTL)", "totp_issuer": "\(settings.totpIssuerName)",
            "migrate_from": "\(migration.loggable)",
        ]
    }
}
