import AuthCore
import Foundation
import Logging

/// The generic source (`AUTH_MIGRATE_FROM=http`): `POST AUTH_MIGRATION_URL {"email", "password"}`,
/// with `Authorization: Bearer AUTH_MIGRATION_TOKEN` when set. 200 with a JSON object
/// `{"id"?, "email_verified"?}` accepts; 401, 403 and 404 refuse; anything else is unavailable.
struct HTTPPasswordSource: PasswordSource {
    let name = "http"
    let url: URL
    let token: String?
    let timeout: TimeInterval
    let logger: Logger

    func check(email: String, password: String) async -> SourceVerdict {
        var headers = ["Content-Type": "application/json", "Accept": "application/json"]
        if let token { headers["Authorization"] = "Bearer \(token)" }
        let answer: SourceRequest.Answer
        do {
            answer = try await SourceRequest.post(url, headers: headers, body: ["email": email, "password": password], timeout: timeout)
        } catch {
            return unavailable("\(error)")
        }
        switch answer.status {
        case 200:
            guard let object = answer.json?.object else { return unavailable("answered 200 without a JSON object") }
            guard object["id"] == nil || object["id"]?.string != nil, object["email_verified"] == nil || object["email_verified"]?.boolValue != nil
            else { return unavailable("answered 200 with an id that is not a string or an email_verified that is not a boolean") }
            return .accepted(id: object["id"]?.string, emailVerified: object["email_verified"]?.boolValue ?? false)
        case 401, 403, 404:
            return .refused
        default:
            return unavailable("answered \(answer.status)")
        }
    }

    private func unavailable(_ reason: String) -> SourceVerdict {
        logger.warning("migration source unavailable", metadata: ["source": "\(url)", "reason": "\(reason)"])
        return .unavailable(reason: reason)
    }
}
