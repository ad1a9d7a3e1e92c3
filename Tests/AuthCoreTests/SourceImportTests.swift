import Foundation
import Testing
import WireFormat

@testable import AuthCore

/// Realistic exports of the systems teams migrate from (fixtures made with each system's
/// hashing libraries: Python bcrypt, argon2-cffi, hashlib, passlib), all for the password
/// "password": each is detected, imports, and its active users log in.
@Suite struct SourceImportTests {
    static func fixture(_ name: String) throws -> String {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")
        return try String(contentsOf: url, encoding: .utf8)
    }

    static let cases: [(file: String, format: ImportFormat, active: [String], disabled: [String])] = [
        ("auth0.ndjson", .auth0, ["ada@auth0.example"], ["blocked@auth0.example"]),
        ("supabase-auth-users.csv", .supabase, ["grace@supabase.example"], ["banned@supabase.example"]),
        ("keycloak-realm.json", .keycloak, ["linus@keycloak.example", "margaret@keycloak.example"], ["old@keycloak.example"]),
        ("kratos-identities.json", .kratos, ["barbara@kratos.example"], ["edsger@kratos.example"]),
        ("rodauth-accounts.csv", .rodauth, ["alan@rodauth.example"], ["closed@rodauth.example"]),
        ("django-auth-user.json", .django, ["tim@django.example", "barbara@django.example"], ["inactive@django.example"]),
    ]

    @Test(arguments: cases)
    func importsAndItsUsersLogIn(_ file: String, _ format: ImportFormat, _ active: [String], _ disabled: [String]) async throws {
        let text = try Self.fixture(file)
        #expect(ImportFormat.detect(text) == format)
        let rows = format.read(text, now: 1_800_000_000)
        let records = try rows.map { try $0.result.get() }
        #expect(Set(records.map(\.email)) == Set(active + disabled))
        let h = try await Harness()
        let candidates = zip(rows, records).map { ImportCandidate(line: $0.0.line, record: $0.1) }
        let result = try await h.importAccounts(candidates, policy: .fail, dryRun: false)
        #expect(result.created == records.count)
        for email in active {
            _ = try await h.logIn(email, password: "password")
            #expect(try await h.store.account(email: email)?.passwordHash?.hasPrefix("$argon2id$v=19$m=64,t=1,p=1$") == true)
        }
        for email in disabled {
            #expect(await errorCode { _ = try await h.logIn(email, password: "password") } == .invalidGrant)
        }
        // Importing the same file again finds the same accounts: ids are stable.
        let again = try await h.importAccounts(candidates, policy: .skip, dryRun: true)
        #expect(again.skipped == records.count)
    }

    @Test func keepsSourceIdsAndCreationTimes() throws {
        let records = try ImportFormat.keycloak.read(try Self.fixture("keycloak-realm.json"), now: 0).map { try $0.result.get() }
        #expect(records[0].id == "3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f" && records[0].createdAt == 1_700_000_000)
        let auth0 = try ImportFormat.auth0.read(try Self.fixture("auth0.ndjson"), now: 0).map { try $0.result.get() }
        #expect(auth0[0].id == TransferRecord.derivedID(system: "auth0", id: "60425dc43519d90068f82973"))
        #expect(auth0[0].createdAt == 0)  // the export has no creation time: the import's
    }

    @Test func leavesOutUsersWithoutAPasswordAndNamesBadTimes() {
        let csv = """
            id,email,encrypted_password,created_at,banned_until
            8d2e3f4a-1b2c-4d5e-8f90-a1b2c3d4e5f6,oauth@supabase.example,,2024-01-15 10:30:00+00,
            9e3f4a5b-2c3d-4e5f-9a01-b2c3d4e5f6a7,odd@supabase.example,$2a$04$6hHKdHLbjdtNZ4gVMa/9gePTG3D5vTXoVsGATC3sd0..C3XSCBuWm,Mon Jan 15 2024,
            0f3f4a5b-2c3d-4e5f-9a01-b2c3d4e5f6a7,naive@supabase.example,$2a$04$6hHKdHLbjdtNZ4gVMa/9gePTG3D5vTXoVsGATC3sd0..C3XSCBuWm,2024-01-15 10:30:00,infinity
            """
        let rows = ImportFormat.supabase.read(csv, now: 0)
        guard case .failure(let passwordless) = rows[0].result, passwordless.isPasswordless else {
            Issue.record("a passwordless user was not left out")
            return
        }
        guard case .failure(let badTime) = rows[1].result, !badTime.isPasswordless else {
            Issue.record("an unparseable created_at was accepted")
            return
        }
        let naive = try? rows[2].result.get()
        #expect(naive?.createdAt == Timestamp.parse("2024-01-15T10:30:00Z") && naive?.status == .disabled)
    }

    @Test func readsKeycloaksSHA1PBKDF2AndNamesLines() async throws {
        let realm = #"""
            {"users": [
              {"id": "3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f", "email": "a@b.co",
               "credentials": [{"type": "password",
                 "secretData": "{\"value\": \"Ah2jr57OqBshOQJJ0+KEcrehofQoi+qE73T2D1/iFb3J8B3tVd8ROLppZ2rq8NQ5tVHTmkOYZ2DEkgHwBEyLcg==\", \"salt\": \"MDEyMzQ1Njc4OWFiY2RlZg==\"}",
                 "credentialData": "{\"hashIterations\":20000,\"algorithm\":\"pbkdf2\"}"}]},
              {"id": "4a2d3e5f-6b7c-4d8e-9f0a-1b2c3d4e5f6a", "email": "c@d.co",
               "credentials": [{"type": "password", "secretData": "{}", "credentialData": "{\"algorithm\":\"md5\"}"}]}
            ]}
            """#
        let rows = ImportFormat.keycloak.read(realm, now: 0)
        #expect(rows.map(\.line) == [2, 6])
        let record = try rows[0].result.get()
        #expect(PasswordHashScheme.identify(record.passwordHash!) == .pbkdf2SHA1)
        #expect(try PasswordHashScheme.verify(Password("password"), against: record.passwordHash!, tryingTypedForm: true))
        guard case .failure = rows[1].result else {
            Issue.record("a credential without value was accepted")
            return
        }
    }
}
