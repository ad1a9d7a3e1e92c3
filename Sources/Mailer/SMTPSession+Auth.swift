import Foundation

extension SMTPSession {
    /// Authenticates with AUTH PLAIN (preferred) or AUTH LOGIN, whichever is offered.
    mutating func authenticate(username: String, password: String, mechanisms: [String]) async throws {
        func base64(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }
        if mechanisms.contains("PLAIN") {
            let token = base64([0] + Array(username.utf8) + [0] + Array(password.utf8))
            try await command("AUTH PLAIN \(token)", step: .auth, expect: [235])
        } else if mechanisms.contains("LOGIN") {
            try await command("AUTH LOGIN", step: .auth, expect: [334])
            try await command(base64(Array(username.utf8)), step: .auth, expect: [334])
            try await command(base64(Array(password.utf8)), step: .auth, expect: [235])
        } else {
            throw SMTPError(.permanent, step: .auth, message: "the server offers neither AUTH PLAIN nor AUTH LOGIN")
        }
    }
}
