import AuthCrypto
import AuthTokens
import Foundation
import Synchronization

@testable import AuthCore

/// A clock tests move by hand.
final class TestClock: Sendable {
    private let date = Mutex(Date(timeIntervalSince1970: 1_800_000_000))

    var now: WallClock { WallClock { self.date.withLock { $0 } } }

    func advance(_ seconds: Int64) {
        date.withLock { $0 = $0.addingTimeInterval(TimeInterval(seconds)) }
    }
}

/// A token service on a fresh in-memory database, a fixed clock and the cheapest argon2 cost.
struct Harness {
    static let cheap = Argon2Parameters(memoryKiB: 64, iterations: 1, parallelism: 1)
    static let pool = HashingPool(concurrency: 2, queueLimit: 10_000)
    static let client = ClientInfo(ip: "192.0.2.1", userAgent: "tests")

    let service: TokenService
    let store: SQLiteAuthStore
    let clock: TestClock

    init(pool: HashingPool = Harness.pool, _ configure: (inout AuthSettings) -> Void = { _ in }) async throws {
        var settings = AuthSettings()
        settings.argon2 = Self.cheap
        configure(&settings)
        clock = TestClock()
        store = try AuthDatabase.inMemory()
        let keys = KeyRing(keyEncryptionKey: SecretBytes(Array(repeating: 7, count: 32)), algorithm: settings.jwsAlgorithm)
        service = TokenService(
            store: store, settings: settings,
            hashing: PasswordHashing(hasher: try PasswordHasher(parameters: settings.argon2), pool: pool), keys: keys,
            clock: clock.now)
        _ = try await keys.ensureCurrentKey(in: store, now: clock.now.seconds)
        try await service.reloadKeys()
    }

    /// Signs up `email` with a good password and logs in once.
    @discardableResult
    func account(_ email: String = "ada@example.com", password: String = "correct horse battery") async throws
        -> (account: Account, grant: TokenGrant)
    {
        let account = try await service.signUp(email: email, password: password)
        let grant = try await service.logIn(email: email, password: password, client: Self.client)
        return (account, grant)
    }

    /// Imports `candidates` as an admin would (`authctl import`).
    func importAccounts(_ candidates: [ImportCandidate], policy: ImportConflictPolicy, dryRun: Bool = false) async throws
        -> ImportResult
    {
        let admin = Administration(store: store, actor: ClientInfo(ip: "", userAgent: "tests"), clock: clock.now)
        return try await admin.importAccounts(candidates, policy: policy, dryRun: dryRun, format: "jsonl")
    }

    func logIn(_ email: String = "ada@example.com", password: String = "correct horse battery", ip: String = "192.0.2.1")
        async throws -> TokenGrant
    {
        try await service.logIn(email: email, password: password, client: ClientInfo(ip: ip, userAgent: "tests"))
    }
}

/// The `AuthError` code `body` throws, or nil when it succeeds.
func errorCode(_ body: () async throws -> Void) async -> AuthError.Code? {
    do {
        try await body()
        return nil
    } catch let error as AuthError {
        return error.code
    } catch {
        return nil
    }
}
