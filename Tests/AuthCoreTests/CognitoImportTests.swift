import Foundation
import Testing

@testable import AuthCore

@Suite struct CognitoImportTests {
    static func user(_ sub: String, _ email: String?, verified: String = "true", enabled: Bool = true, created: String = "\"2023-04-05T06:07:08.123000+00:00\"") -> String {
        let emailAttribute = email.map { #", {"Name": "email", "Value": "\#($0)"}"# } ?? ""
        return """
            {"Username": "\(email ?? sub)", "Attributes": [{"Name": "sub", "Value": "\(sub)"}, {"Name": "email_verified", "Value": "\(verified)"}\(emailAttribute)],
             "UserCreateDate": \(created), "UserLastModifiedDate": \(created), "Enabled": \(enabled), "UserStatus": "CONFIRMED"}
            """
    }

    static let subs = (1...4).map { String(format: "7c1e0e2a-4a5b-4c6d-8e9f-%012d", $0) }

    @Test func readsPagesAsTheCLIWritesThemAndUsersAsJSONLines() throws {
        let pages = """
            {
                "Users": [
                    \(Self.user(Self.subs[0], "Ada@Example.com")),
                    \(Self.user(Self.subs[1], "bob@example.com", verified: "false", enabled: false))
                ],
                "PaginationToken": "abc"
            }
            {"Users": [\(Self.user(Self.subs[2], "carol@example.com", created: "1680674828.5"))]}
            """
        #expect(ImportFormat.detect(pages) == .cognito)
        let records = try ImportFormat.cognito.read(pages, now: 0).map { try $0.result.get() }
        #expect(records.map(\.id) == Array(Self.subs.prefix(3)))
        #expect(records.map(\.email) == ["ada@example.com", "bob@example.com", "carol@example.com"])
        #expect(records.map(\.emailVerified) == [true, false, true] && records.map(\.status) == [.active, .disabled, .active])
        #expect(records.allSatisfy { $0.passwordHash == nil })
        #expect(records.map(\.createdAt) == [1_680_674_828, 1_680_674_828, 1_680_674_828])

        let lines = [Self.user(Self.subs[3], "dave@example.com"), #"{"Users": []}"#].map { $0.replacingOccurrences(of: "\n", with: " ") }
        #expect(try ImportFormat.cognito.read(lines.joined(separator: "\n"), now: 0).map { try $0.result.get().id } == [Self.subs[3]])
    }

    @Test func namesTheLineOfEachBadUser() {
        let text = """
            {"Users": [
            \(Self.user(Self.subs[0], nil)),
            \(Self.user("not-a-uuid", "x@example.com"))
            ]}
            {"Users": [
            """
        let failures = ImportFormat.cognito.read(text, now: 0).compactMap { line, result -> Int? in
            if case .failure = result { return line } else { return nil }
        }
        #expect(failures == [2, 7])  // no email; an unterminated page (a non-UUID sub becomes a derived id, as for other sources)
    }

    @Test func anExportedAccountWithoutHashReadsBackWithoutHash() {
        let record = TransferRecord(id: Self.subs[0], email: "ada@example.com", status: .active, createdAt: 0, passwordHash: nil, emailVerified: true)
        #expect(record.jsonLine.contains("\"password_hash\":null"))
        #expect((try? ImportFormat.jsonl.read(record.jsonLine, now: 0).first?.result.get()) == record)
        let csv = TransferRecord.fields.joined(separator: ",") + "\n" + record.csvRow
        #expect((try? ImportFormat.csv.read(csv, now: 0).first?.result.get()) == record)
    }
}
