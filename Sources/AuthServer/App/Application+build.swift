import AuthCore
import AuthCrypto
import Foundation
import Hummingbird
import Logging
import PostgresStore
import PostgresSupport
import Prometheus
import ServerSupport

/// The composition root: opens the database and key file, loads the keys, wires the
/// use cases into routes. Tests call it with a temporary database and low argon2 cost.
func buildApplication(
    _ configuration: ServerConfiguration, logger: Logger, clock: WallClock = .system,
    registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
    shutdown: GracefulShutdown = GracefulShutdown(drainPeriod: .zero),
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) async throws -> some ApplicationProtocol {
    for variable in configuration.unknownVariables {
        logger.warning("ignoring an environment variable that names no setting", metadata: ["variable": "\(variable)"])
    }
    let store = try await openStore(configuration, logger: logger)
    let keyFilePath = configuration.resolvedKeyFilePath
    if !FileManager.default.fileExists(atPath: keyFilePath), !(try await store.signingKeys().isEmpty) {
        // A new key file could never open the keys already sealed in the database.
        throw StartupError.cannotStart(
            "AUTH_KEY_FILE: no key file at \(keyFilePath), but \(configuration.database) holds signing keys sealed with one; restore it")
    }
    let keyFile = try KeyFile.loadOrCreate(path: keyFilePath)
    if keyFile.created { logger.notice("created key file", metadata: ["path": "\(keyFilePath)"]) }

    let keys = KeyRing(keyEncryptionKey: keyFile.key, algorithm: configuration.settings.jwsAlgorithm)
    let metrics = AuthMetrics(factory: prometheusFactory(registry))
    let argon2 = try Argon2Setup(configuration, logger: logger)
    let hashing = PasswordHashing(
        hasher: try PasswordHasher(parameters: configuration.settings.argon2, kernel: argon2.kernel),
        pool: HashingPool(
            concurrency: configuration.hashConcurrency, queueLimit: configuration.hashQueue,
            memoryBudget: configuration.hashConcurrency * configuration.settings.argon2.memoryBytes, onJobDone: metrics.hashed))
    let mail = try MailSetup(configuration, logger: logger)
    let service = TokenService(
        store: store, settings: configuration.settings, hashing: hashing, keys: keys, mail: mail.composer,
        source: configuration.migration.passwordSource(logger: logger), clock: clock, metrics: metrics)
    if try await keys.ensureCurrentKey(in: store, now: clock.seconds) {
        logger.notice("created signing key")
    }
    do {
        try await service.reloadKeys()
    } catch let error as CryptoError where error == .openFailed {
        throw StartupError.cannotStart(
            "AUTH_KEY_FILE: the key in \(keyFilePath) does not open the signing keys in \(configuration.database)")
    }

    // Before the first login: failed logins are padded to the slowest stored hash from the start.
    let costs = try await service.measureHashCosts()
    if let slowest = costs.max(by: { $0.value < $1.value }) {
        logger.info(
            "measured stored hash costs; failed logins take as long as the slowest",
            metadata: ["profiles": "\(costs.count)", "slowest": "\(slowest.key)", "seconds": "\(slowest.value)"])
    }

    let (router, routes) = ServiceApplication.router(
        registry: registry, shutdown: shutdown, mapDomainError: { ($0 as? AuthError)?.apiError },
        proxies: configuration.trustedProxies, corsOrigins: configuration.corsOrigins,
        rateLimit: RouteRateLimit(
            limiter: RateLimiter(perMinute: configuration.rateLimitPerMinute, burst: configuration.rateLimitBurst),
            routes: Set(["/v1/accounts", "/v1/token", "/v1/revoke"] + EmailRoutes.paths + MFARoutes.paths)))
    AccountRoutes(service: service).register(on: routes)
    TokenRoutes(service: service).register(on: routes)
    SessionRoutes(service: service).register(on: routes)
    EmailRoutes(service: service).register(on: routes)
    MFARoutes(service: service).register(on: routes)
    DiscoveryRoutes(service: service).register(on: routes)
    HealthRoutes(service: service, registry: registry, metrics: metrics, shutdown: shutdown).register(on: routes)
    routes.rejectOtherMethods()

    return ServiceApplication.make(
        router: router, host: configuration.host, port: configuration.port, logger: logger, closeDatabase: store.close,
        services: [
            HashingPoolService(pool: hashing.pool, argon2: argon2),
            MailDeliveryService(
                deliver: DeliverMail(
                    outbox: store, transport: mail.transport, keys: keys, settings: configuration.settings, clock: clock,
                    metrics: metrics),
                logger: logger),
            MaintenanceService(
                service: service, logger: logger,
                publishActiveSessions: metrics.activeSessions)
        ], onServerRunning: onServerRunning)
}

/// The swift-metrics factory that writes into `registry`, with the hash-duration buckets.
func prometheusFactory(_ registry: PrometheusCollectorRegistry) -> PrometheusMetricsFactory {
    var factory = PrometheusMetricsFactory(registry: registry)
    factory.durationHistogramBuckets[AuthMetrics.hashDuration] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5].map {
        .nanoseconds(Int64($0 * 1e9))
    }
    return factory
}

/// The SQLite file (created if missing), or the PostgreSQL database (its schema created or
/// migrated, one node at a time).
func openStore(_ configuration: ServerConfiguration, logger: Logger) async throws -> any AuthStore {
    switch configuration.database {
    case .postgres(let url, let poolSize):
        do {
            return try await PostgresAuthStore.open(url, poolSize: poolSize, logger: logger)
        } catch {
            throw StartupError.cannotStart("AUTH_DATABASE: \(error)")
        }
    case .sqlite(let path):
        let (store, created) = try AuthDatabase.open(path: path, migrate: false)
        if created { logger.notice("created database", metadata: ["path": "\(path)"]) }
        return store
    }
}
