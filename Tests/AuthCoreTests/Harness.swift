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
    let keys: KeyRing
    let mailbox = Mailbox()

    init(
        pool: HashingPool = Harness.pool, composer: any MailComposer = PlainComposer(), source: (any PasswordSource)? = nil,
        _ configure: (inout AuthSettings) -> Void = { _ in }
    ) async throws {
        var settings = Self.settings
        configure(&settings)
        clock = TestClock()
        store = try AuthDatabase.inMemory()
        keys = KeyRing(keyEncryptionKey: Self.keyEncryptionKey, algorithm: settings.jwsAlgorithm)
        service = try await Self.service(on: store, settings: settings, keys: keys, clock: clock, pool: pool, composer: composer, source: source)
    }

    static let keyEncryptionKey = SecretBytes(Array(repeating: 7, count: 32))

    /// The defaults, with the cheapest argon2 cost.
    static var settings: AuthSettings {
        var settings = AuthSettings()
        settings.argon2 = cheap
        return settings
    }

    /// A token service on `store`, its keys loaded (a first one made if the store has none).
    static func service(
        on store: any AuthStore, settings: AuthSettings = Harness.settings, keys: KeyRing, clock: TestClock,
        pool: HashingPool = Harness.pool, composer: any MailComposer = PlainComposer(), source: (any PasswordSource)? = nil
    ) async throws -> TokenService {
        let service = TokenService(
            store: store, settings: settings,
            hashing: PasswordHashing(hasher: try PasswordHasher(parameters: settings.argon2), pool: pool), keys: keys,
            mail: composer, source: source, clock: clock.now)
        _ = try await keys.ensureCurrentKey(in: store, now: clock.now.seconds)
        try await service.reloadKeys()
        return service
    }

    /// Signs up `email` with a good password and logs in once.
    @discardableResult
    func account(_ email: String = "ada@example.com", password: String = "correct horse battery") async throws
        -> (account: Account, grant: TokenGrant)
    {
        let account = try await service.signUp(email: email, password: password)
        let grant = try await service.logIn(email: email, password: password, client: Self.client).granted()
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
        try await service.logIn(email: email, password: password, client: ClientInfo(ip: ip, userAgent: "tests")).granted()
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

/// Writes what a mail is about, one `name: value` per line, as its message.
struct PlainComposer: MailComposer {
    func compose(_ content: MailContent) throws -> [UInt8] {
        Array(
            """
            to: \(content.to)
            purpose: \(content.purpose.rawValue)
            email: \(content.email)
            new_email: \(content.newEmail ?? "")
            link: \(content.link ?? "")
            expires_in_minutes: \(content.expiresInMinutes.map(String.init) ?? "")
            """.utf8)
    }
}

/// The mail delivered to it, as `PlainComposer` wrote it; or, while `refusing`, an SMTP-like refusal.
final class Mailbox: MailTransport, Sendable {
    struct Delivered: Sendable {
        var fields: [String: String]
        var token: String? { fields["link"]?.components(separatedBy: "token=").last }
    }

    private let state = Mutex<(delivered: [Delivered], refusing: MailDeliveryError?)>(([], nil))

    var delivered: [Delivered] { state.withLock { $0.delivered } }

    func refuse(with error: MailDeliveryError?) { state.withLock { $0.refusing = error } }

    func deliver(_ message: [UInt8], to recipient: String, mailID: String) async throws {
        try state.withLock { state in
            if let error = state.refusing { throw error }
            let lines = String(decoding: message, as: UTF8.self).split(separator: "\n")
            let fields = lines.map { $0.split(separator: ":", maxSplits: 1) }.filter { $0.count == 2 }
            state.delivered.append(
                Delivered(fields: Dictionary(fields.map { (String($0[0]), $0[1].trimmingCharacters(in: .whitespaces)) }) { a, _ in a }))
        }
    }
}

extension Harness {
    /// Delivers what the outbox holds due now to `mailbox`; returns the outcomes.
    @discardableResult
    func deliverMail() async throws -> [DeliveryOutcome] {
        try await DeliverMail(outbox: store, transport: mailbox, keys: keys, settings: service.settings, clock: clock.now, metrics: AuthMetrics())()
            .map(\.outcome)
    }

    /// The token of the last mail of `purpose` delivered to `to`, after delivering what is due.
    func mailedToken(_ purpose: MailPurpose, to: String = "ada@example.com") async throws -> String? {
        try await deliverMail()
        return mailbox.delivered.last { $0.fields["purpose"] == purpose.rawValue && $0.fields["to"] == to }?.token
    }
}

extension LoginResult {
    /// The tokens of a login that needed no second factor.
    func granted() throws -> TokenGrant {
        guard case .granted(let grant) = self else { throw AuthError(.invalidGrant, "a second factor is required") }
        return grant
    }
}
