import Foundation
import Testing

@testable import AuthCore

@Suite struct AccountSummaryTests {
    /// The bytes `GET /v1/me` answers are exactly what a general encoder writes (sorted
    /// snake_case keys), for every combination of the flags.
    @Test(arguments: [false, true], [false, true])
    func itsJSONIsWhatAnEncoderWrites(verified: Bool, mfa: Bool) throws {
        var account = Account(
            id: "0c2a1530-c16d-4789-960b-48ab2065ff78", email: "o'neil+tag/x@example.com", status: .disabled,
            passwordHash: "x", createdAt: 1_764_500_000, updatedAt: 1_764_500_000)
        account.emailVerified = verified
        account.mfaEnabled = mfa
        let summary = AccountSummary(account)
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        #expect(String(decoding: summary.json, as: UTF8.self) == String(decoding: try encoder.encode(summary), as: UTF8.self))
    }
}
