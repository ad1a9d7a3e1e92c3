import Foundation
import Testing

@testable import AuthCore

@Suite struct TransferTests {
    static let hash = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"

    /// Exactly the canonical 8-4-4-4-12 hex form; Foundation's parser (sscanf) also lets spaces
    /// and `0x` through, which would have stored ids no other system accepts.
    @Test func recognisesCanonicalUUIDsOnly() throws {
        let canonical = try Regex("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
        let valid = UUID().uuidString
        var samples = [valid, valid.lowercased(), "", "not-a-uuid", String(valid.dropLast()), valid + "0", "{\(valid)}",
                       valid.replacingOccurrences(of: "-", with: ""), String(valid.prefix(35)) + "g", " " + String(valid.dropFirst())]
        for index in valid.indices {  // every single-character change of a valid UUID
            for replacement in ["-", "x", "0", "F", " "] {
                samples.append(valid.replacingCharacters(in: index...index, with: replacement))
            }
        }
        for text in samples {
            #expect(TransferRecord.isUUID(text) == (text.wholeMatch(of: canonical) != nil), "\(text)")
        }
    }

    static func record(_ email: String, id: String = RandomSource.system.identifier()) -> TransferRecord {
        TransferRecord(id: id, email: email, status: .active, createdAt: 1_700_000_000, passwordHash: hash)
    }

    @Test func csvRoundTripsAwkwardFields() {
        let fields = ["plain", "with,comma", "with \"quotes\"", "two\nlines", ""]
        let text = "a,b,c,d,e\n" + fields.map(CSV.quote).joined(separator: ",") + "\r\nx,y,z,w,v\n"
        let rows = CSV.parse(text)
        #expect(rows.map(\.line) == [1, 2, 4])
        #expect(rows[1].fields == fields)
        #expect(CSV.parse("a,\"open\n").last?.fields == nil)
    }

    @Test func detectsThisServicesFormats() {
        #expect(ImportFormat.detect("\n  {\"id\":\"x\",\"password_hash\":\"y\"}\n") == .jsonl)
        #expect(ImportFormat.detect("{\"id\":1}") == nil)
        #expect(ImportFormat.detect("id,email,status,created_at,password_hash\n") == .csv)
        #expect(ImportFormat.detect("hello world") == nil)
    }

    @Test(arguments: [false, true])
    func exportLinesReadBackIdentically(verified: Bool) {
        var original = Self.record("ada@example.com")
        original.emailVerified = verified
        #expect(original.jsonLine.hasSuffix("\"email_verified\":\(verified)}"))
        let jsonl = ImportFormat.jsonl.read(original.jsonLine, now: 0)
        let csv = ImportFormat.csv.read(TransferRecord.fields.joined(separator: ",") + "\n" + original.csvRow, now: 0)
        #expect((try? jsonl.first?.result.get()) == original)
        #expect((try? csv.first?.result.get()) == original)
    }

    @Test func emailVerifiedIsOptionalButOnlyABoolean() {
        let id = RandomSource.system.identifier()
        let line = "{\"id\":\"\(id)\",\"email\":\"a@b.co\",\"password_hash\":\"\(Self.hash)\""
        let read = ImportFormat.jsonl.read([line + "}", line + ",\"email_verified\":\"true\"}"].joined(separator: "\n"), now: 0)
        #expect((try? read[0].result.get())?.emailVerified == false)
        #expect((try? read[1].result.get()) == nil)
        let csv = "id,email,password_hash,email_verified\n\(id),a@b.co,\"\(Self.hash)\",TRUE\n\(id),a@b.co,\"\(Self.hash)\",yes\n"
        let rows = ImportFormat.csv.read(csv, now: 0)
        #expect((try? rows[0].result.get())?.emailVerified == true)
        #expect((try? rows[1].result.get()) == nil)
    }

    @Test func namesEachBadRecordByLine() {
        let text = """
            {"id":"not-a-uuid","email":"a@b.co","password_hash":"\(Self.hash)"}
            {"id":"\(RandomSource.system.identifier())","email":"nope","password_hash":"\(Self.hash)"}

            {"id":"\(RandomSource.system.identifier())","email":"c@d.co","password_hash":"$2b$10$unknown"}
            {"id":"\(RandomSource.system.identifier())","email":"e@f.co","password_hash":"\(Self.hash)","status":"gone"}
            {"id":"\(RandomSource.system.identifier())","email":"g@h.co","password_hash":"\(Self.hash)","created_at":"yesterday"}
            {"id":"\(RandomSource.system.identifier())","email":"i@j.co","password_hash":5}
            {truncated
            {"id":"\(RandomSource.system.identifier())","email":"k@l.co","email":"m@n.co","password_hash":"\(Self.hash)"}
            """
        let failures = ImportFormat.jsonl.read(text, now: 0).compactMap { line, result -> Int? in
            if case .failure = result { return line } else { return nil }
        }
        #expect(failures == [1, 2, 4, 5, 6, 7, 8, 9])
    }

    @Test func findsTheLineOfEachUserInAJSONDocument() {
        let text = "[\r\n" + (1...3).map { #"  {"model": "auth.user", "pk": \#($0), "fields": {"password": "x", "email": "e\#($0)@x.io"}}"# }
            .joined(separator: ",\r\n") + "\r\n]"
        #expect(ImportFormat.django.read(text, now: 0).map(\.line) == [2, 3, 4])
    }

    @Test func countsLinesOfAnyLineBreak() {
        let good = Self.record("ada@example.com").jsonLine
        let rows = ImportFormat.jsonl.read(good + "\r\n{bad}\r\n" + good, now: 0)
        #expect(rows.map(\.line) == [1, 2, 3])
    }

    @Test func importsAllOrNothing() async throws {
        let h = try await Harness()
        let (existing, _) = try await h.account()
        let fresh = ImportCandidate(line: 1, record: Self.record("new@example.com"))
        let clash = ImportCandidate(line: 2, record: Self.record(existing.email))
        let failed = try await h.importAccounts([fresh, clash], policy: .fail, dryRun: false)
        #expect(failed.conflicts == ["line 2: an account with this email exists"])
        #expect(try await h.store.account(email: "new@example.com") == nil)

        let dry = try await h.importAccounts([fresh], policy: .fail, dryRun: true)
        #expect(dry.created == 1)
        #expect(try await h.store.account(email: "new@example.com") == nil)

        let skipped = try await h.importAccounts([fresh, clash], policy: .skip, dryRun: false)
        #expect(skipped.created == 1 && skipped.skipped == 1)
        let kept = try #require(try await h.store.account(email: "new@example.com"))
        #expect(kept.id == fresh.record.id && kept.createdAt == 1_700_000_000)
        #expect(try await h.store.account(id: existing.id)?.passwordHash == existing.passwordHash)
    }

    @Test func updateReplacesTheHashOfTheSameAccountOnly() async throws {
        let h = try await Harness()
        let (existing, _) = try await h.account()
        var same = TransferRecord(existing)
        same.passwordHash = Self.hash
        let updated = try await h.importAccounts([ImportCandidate(line: 1, record: same)], policy: .update, dryRun: false)
        #expect(updated.updated == 1)
        _ = try await h.logIn(password: "password")  // the imported hash's password
        let other = Self.record(existing.email)  // same email, another id
        let refused = try await h.importAccounts([ImportCandidate(line: 7, record: other)], policy: .update, dryRun: false)
        #expect(refused.conflicts == ["line 7: the email and id belong to different accounts"])
    }

    @Test func exportsEveryAccountInCreationOrder() async throws {
        let h = try await Harness()
        for email in ["b@example.com", "a@example.com", "c@example.com"] {
            _ = try await h.service.signUp(email: email, password: "correct horse battery")
        }
        let emails = SendableBox<[String]>([])
        try await h.store.forEachAccount { account in emails.append(account.email) }
        #expect(emails.value == ["b@example.com", "a@example.com", "c@example.com"])
    }
}

/// A lock-guarded array for collecting from `@Sendable` callbacks.
final class SendableBox<Element: Sendable>: @unchecked Sendable where Element: RangeReplaceableCollection {
    private let lock = NSLock()
    private var storage: Element
    init(_ value: Element) { storage = value }
    var value: Element { lock.withLock { storage } }
    func append(_ element: Element.Element) { lock.withLock { storage.append(element) } }
}
