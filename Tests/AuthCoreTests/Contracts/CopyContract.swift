import AuthCrypto
import Foundation
import GRDB
import PostgresNIO
import Testing

@testable import AuthCore
@testable import PostgresStore
import PostgresSupport

/// `CopyDatabase` from every store kind to every store kind: a database filled through the use
/// cases works on its copy as it did on the original, and a refused or failed copy leaves the
/// target as it was.
@Suite struct CopyContract {
    static let client = Harness.client

    @Test(arguments: CopyPlace.Kind.available, CopyPlace.Kind.available)
    func everySessionKeyFactorMailAndAuditRecordWorksOnTheCopy(from: CopyPlace.Kind, to: CopyPlace.Kind) async throws {
        let clock = TestClock()
        let source = try await CopyPlace.make(from).open()
        let filled = try await Filled(source, clock: clock)
        let target = try await CopyPlace.make(to)
        let counts = try await target.copy(from: source, keys: filled.keys)
        let copy = try await target.open()
        #expect(try await CopyPlace.rows(copy) == CopyPlace.rows(source))
        #expect(counts.map(\.table) == CopiedTable.all.map(\.name))
        #expect(counts.first { $0.table == "accounts" }?.rows == 2 && counts.allSatisfy { $0.rows > 0 })

        let keys = KeyRing(keyEncryptionKey: Harness.keyEncryptionKey)
        let service = try await Harness.service(on: copy, keys: keys, clock: clock)
        _ = try await service.authenticate(bearer: filled.beforeRotation.accessToken)  // signed by the previous key
        _ = try await service.authenticate(bearer: filled.afterRotation.accessToken)
        _ = try await service.refresh(token: filled.afterRotation.refreshToken, client: Self.client)
        #expect(await errorCode { _ = try await service.refresh(token: filled.beforeRotation.refreshToken, client: Self.client) } == .invalidGrant)
        _ = try await service.logIn(email: "ada@example.com", password: Filled.password, client: Self.client).granted()
        guard case .mfaRequired(let mfaToken) = try await service.logIn(email: "bob@example.com", password: Filled.password, client: Self.client)
        else { throw AuthError(.invalidGrant, "no second factor asked on the copy") }
        let code = TOTP.code(secret: filled.totpSecret, step: TOTP.step(at: clock.now.seconds))
        _ = try await service.completeMFALogin(mfaToken: mfaToken, proof: .totp(code), client: Self.client)

        let mailbox = Mailbox()
        _ = try await DeliverMail(outbox: copy, transport: mailbox, keys: keys, settings: service.settings, clock: clock.now, metrics: AuthMetrics())()
        #expect(Set(mailbox.delivered.compactMap { $0.fields["to"] }) == ["ada@example.com", "bob@example.com"])

        let copiedAudit = try await source.auditEvents(AuditFilter(limit: 1_000))
        #expect(try await copy.auditEvents(AuditFilter(limit: 1_000)).suffix(copiedAudit.count) == copiedAudit[...])
        _ = try await service.signUp(email: "carol@example.com", password: Filled.password)  // fresh ids after the copied ones
        #expect(try await copy.auditEvents(AuditFilter(limit: 1)).first!.id > copiedAudit.first!.id)
        #expect(try await copy.account(email: "carol@example.com") != nil)
    }

    @Test(arguments: CopyPlace.Kind.available, CopyPlace.Kind.available)
    func aTargetWithRowsIsRefusedAndKeepsThem(from: CopyPlace.Kind, to: CopyPlace.Kind) async throws {
        let source = try await CopyPlace.make(from).open()
        let filled = try await Filled(source, clock: TestClock())
        let target = try await CopyPlace.make(to)
        _ = try await target.copy(from: source, keys: filled.keys)
        let before = try await CopyPlace.rows(target.open())
        await #expect(throws: CopyRefusal.self) {
            _ = try await target.copy(from: source, keys: filled.keys)
        }
        #expect(try await CopyPlace.rows(target.open()) == before)
    }

    @Test(arguments: CopyPlace.Kind.available, CopyPlace.Kind.available)
    func aWriteThatFailsMidwayLeavesTheTargetEmpty(from: CopyPlace.Kind, to: CopyPlace.Kind) async throws {
        let place = try await CopyPlace.make(from)
        let source = try await place.open()
        let filled = try await Filled(source, clock: TestClock())
        try await place.addOrphanRecoveryCode()  // a row no target takes: its account doesn't exist
        let target = try await CopyPlace.make(to)
        let error = await #expect(throws: (any Error).self) {
            _ = try await target.copy(from: source, keys: filled.keys)
        }
        #expect("\(error!)".contains("cannot write recovery_codes"), "\(error!)")
        try await target.expectEmpty()
    }

    @Test(arguments: CopyPlace.Kind.available)
    func aKeyFileThatDoesNotOpenTheSourceKeysIsRefusedBeforeTheTargetIsOpened(from: CopyPlace.Kind) async throws {
        let source = try await CopyPlace.make(from).open()
        _ = try await Filled(source, clock: TestClock())
        let wrong = KeyRing(keyEncryptionKey: SecretBytes(Array(repeating: 8, count: 32)))
        let neverOpened: () async throws -> any CopyTarget = { throw AuthError(.invalidRequest, "the target was opened") }
        await #expect(throws: CopyRefusal.self) { _ = try await CopyDatabase(source: source, keys: wrong)(to: neverOpened) }
    }

    @Test func theListNamesEveryTableAndColumnOfTheSQLiteSchema() async throws {
        let store = try AuthDatabase.inMemory()
        let schema = try await store.writer.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'grdb_migrations'")
                .map { table in (table, try Row.fetchAll(db, sql: "SELECT name, type FROM pragma_table_info(?)", arguments: [table])) }
        }
        #expect(Set(schema.map(\.0)) == Set(CopiedTable.all.map(\.name)))  // no sqlite_sequence: no AUTOINCREMENT to carry
        let kinds: [String: Set<CopiedTable.Kind>] = ["INTEGER": [.integer, .boolean], "TEXT": [.text], "BLOB": [.bytes]]
        for (name, columns) in schema {
            let table = try #require(CopiedTable.all.first { $0.name == name })
            let listed = table.columns.filter { $0.sqliteName != "rowid" }
            #expect(listed.map(\.name) == columns.map { $0["name"] as String }, "\(name)")
            for (column, row) in zip(listed, columns) { #expect(kinds[row["type"] as String]?.contains(column.kind) == true, "\(name).\(column.name)") }
        }
    }

    @Test(.enabled(if: PostgresTestDatabases.adminURL != nil))
    func theListNamesEveryTableColumnAndIdentityOfThePostgreSQLSchema() async throws {
        let store = try await PostgresTestDatabases.store()
        let rows = try await store.connection { db in
            try await db.rows(
                """
                SELECT table_name, column_name, data_type, is_identity FROM information_schema.columns
                WHERE table_schema = current_schema() AND table_name != 'schema_migrations' ORDER BY table_name, ordinal_position
                """
            ).map { try $0.decode((String, String, String, String).self) }
        }
        let kinds: [String: CopiedTable.Kind] = ["bigint": .integer, "integer": .integer, "text": .text, "bytea": .bytes, "boolean": .boolean]
        #expect(Set(rows.map(\.0)) == Set(CopiedTable.all.map(\.name)))
        for table in CopiedTable.all {
            let columns = rows.filter { $0.0 == table.name }
            #expect(Set(columns.map(\.1)) == Set(table.columns.map(\.name)), "\(table.name)")
            for column in table.columns {
                let found = columns.first { $0.1 == column.name }
                #expect(found.flatMap { kinds[$0.2] } == column.kind && (found?.3 == "YES") == column.generated, "\(table.name).\(column.name)")
            }
        }
    }
}

/// A source filled through the use cases: two accounts, one with TOTP on, sessions refreshed
/// across a key rotation, a failed login, queued verification mails, their audit records.
struct Filled {
    static let password = "correct horse battery"
    let keys = KeyRing(keyEncryptionKey: Harness.keyEncryptionKey)
    /// Ada's tokens from before the rotation (the refresh token used since) and after it.
    let beforeRotation: TokenGrant
    let afterRotation: TokenGrant
    let totpSecret: SecretBytes

    init(_ store: any AuthStore, clock: TestClock) async throws {
        let client = CopyContract.client
        let service = try await Harness.service(on: store, keys: keys, clock: clock)
        _ = try await service.signUp(email: "ada@example.com", password: Self.password)
        _ = try await service.signUp(email: "bob@example.com", password: Self.password)
        beforeRotation = try await service.logIn(email: "ada@example.com", password: Self.password, client: client).granted()
        let bob = try await service.logIn(email: "bob@example.com", password: Self.password, client: client).granted()
        let principal = try await service.authenticate(bearer: bob.accessToken)
        let enrolment = try await service.enrollTOTP(principal, password: Self.password, client: client)
        totpSecret = SecretBytes(try #require(SecondFactorTests.base32Decode(enrolment.secret)))
        _ = try await service.confirmTOTP(principal, code: TOTP.code(secret: totpSecret, step: TOTP.step(at: clock.now.seconds)), client: client)
        guard case .mfaRequired = try await service.logIn(email: "bob@example.com", password: Self.password, client: client)
        else { throw AuthError(.invalidGrant, "no second factor asked") }  // a pending MFA login
        _ = try await Administration(store: store, actor: client, clock: clock.now).rotateKey(with: keys)(activateIn: 0)
        try await service.reloadKeys()
        afterRotation = try await service.refresh(token: beforeRotation.refreshToken, client: client)
        #expect(await errorCode { _ = try await service.logIn(email: "ada@example.com", password: "wrong", client: client) } == .invalidGrant)
        clock.advance(30)  // the enrolment's TOTP code is spent
    }
}

/// Where a copy comes from or goes: a new SQLite file, or a new database on the test cluster.
struct CopyPlace: Sendable {
    enum Kind: String, Sendable, CustomStringConvertible {
        case sqlite = "SQLite", postgres = "PostgreSQL"
        static let available = [sqlite] + (PostgresTestDatabases.adminURL == nil ? [] : [postgres])
        var description: String { rawValue }
    }

    let path: String?
    let url: PostgresDatabaseURL?

    static func make(_ kind: Kind) async throws -> CopyPlace {
        switch kind {
        case .sqlite: CopyPlace(path: nodesDirectory.appendingPathComponent("\(UUID().uuidString).sqlite").path, url: nil)
        case .postgres: CopyPlace(path: nil, url: try await PostgresTestDatabases.create())
        }
    }

    func open() async throws -> any AuthStore & CopySource {
        if let path { return try AuthDatabase.open(path: path, migrate: true).store }
        return try await PostgresAuthStore.open(url!, poolSize: 2)
    }

    /// `source` copied here with `keys`.
    func copy(from source: any CopySource, keys: KeyRing) async throws -> [CopyDatabase.Count] {
        try await CopyDatabase(source: source, keys: keys)(to: openTarget)
    }

    func openTarget() async throws -> any CopyTarget {
        if let path { return try SQLiteCopyTarget.open(path: path) }
        return try await PostgresAuthStore.openCopyTarget(url!)
    }

    /// A recovery code of an account that doesn't exist, past the foreign key.
    func addOrphanRecoveryCode() async throws {
        if let path {
            var configuration = Configuration()
            configuration.foreignKeysEnabled = false
            try await DatabaseQueue(path: path, configuration: configuration).write { db in
                try db.execute(sql: "INSERT INTO recovery_codes (account_id, code_hash) VALUES (?, ?)", arguments: [Sample.id(999), Data(repeating: 0xAB, count: 32)])
            }
            return
        }
        let store = try await PostgresAuthStore.open(url!, poolSize: 1)
        try await store.connection { db in
            try await db.run("ALTER TABLE recovery_codes DROP CONSTRAINT recovery_codes_account_id_fkey")
            try await db.run("INSERT INTO recovery_codes (account_id, code_hash) VALUES (\(Sample.id(999)), \(Data(repeating: 0xAB, count: 32)))")
        }
    }

    /// No file, or a schema without rows but the one the schema makes.
    func expectEmpty() async throws {
        if let path { return #expect(!FileManager.default.fileExists(atPath: path)) }
        let rows = try await Self.rows(PostgresAuthStore.open(url!, poolSize: 1))
        #expect(rows.values.map(\.count).reduce(0, +) == 1 && rows["audit_retention"]?.count == 1)
    }

    /// Every row of every table, read from one snapshot.
    static func rows(_ store: any CopySource) async throws -> [String: [CopiedRow]] {
        try await store.withSnapshot { snapshot in
            var tables: [String: [CopiedRow]] = [:]
            for table in CopiedTable.all {
                var rows: [CopiedRow] = []
                try await snapshot.read(table, batchSize: 7) { rows += $0 }
                tables[table.name] = rows
            }
            return tables
        }
    }
}
