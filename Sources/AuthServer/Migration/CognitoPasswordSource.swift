import AuthCore
import AuthCrypto
import Foundation
import Logging
import WireFormat

/// Amazon Cognito as the source (`AUTH_MIGRATE_FROM=cognito`): the password is checked with
/// `InitiateAuth` (`USER_PASSWORD_AUTH`, with `SECRET_HASH` when the app client has a secret)
/// and the user read with `GetUser`, over Cognito's JSON protocol. A `NEW_PASSWORD_REQUIRED`
/// challenge (a user an admin created) proves the password as well. An MFA challenge refuses:
/// moving in on the password alone would drop the user's second factor, so such a user moves
/// in by a password reset (their mailbox) and enrols TOTP here. `NotAuthorizedException`,
/// `UserNotFoundException` and the like refuse; a 5xx, another error or no answer in time is
/// unavailable.
struct CognitoPasswordSource: PasswordSource {
    let name = "cognito"
    let endpoint: URL
    let clientID: String
    let clientSecret: String?
    let timeout: TimeInterval
    let logger: Logger

    /// Cognito's errors that say the user can't log in with this password there.
    static let refusals: Set<String> = [
        "NotAuthorizedException", "UserNotFoundException", "UserNotConfirmedException", "PasswordResetRequiredException",
    ]

    func check(email: String, password: String) async -> SourceVerdict {
        var parameters = ["USERNAME": email, "PASSWORD": password]
        if let clientSecret {
            parameters["SECRET_HASH"] = Base64.encode(
                Sodium.hmacSHA256(key: Array(clientSecret.utf8), Array((email + clientID).utf8)), alphabet: .standard, padding: true)
        }
        do {
            let started = try await call(
                "InitiateAuth", ["AuthFlow": "USER_PASSWORD_AUTH", "ClientId": clientID, "AuthParameters": parameters])
            if let token = started["AuthenticationResult"]?.object?["AccessToken"]?.string {
                let user = try await call("GetUser", ["AccessToken": token])
                let attributes = CognitoExport.attributes(user["UserAttributes"])
                return .accepted(id: attributes["sub"], emailVerified: attributes["email_verified"] == "true")
            }
            guard let challengeName = started["ChallengeName"]?.string else {
                return unavailable("InitiateAuth answered neither tokens nor a challenge")
            }
            guard challengeName == "NEW_PASSWORD_REQUIRED" else {
                logger.notice("not moving in a user Cognito asks a second factor of", metadata: ["challenge": "\(challengeName)"])
                return .refused
            }
            let challenge = started["ChallengeParameters"]?.object ?? [:]
            let attributes = (challenge["userAttributes"]?.string).flatMap { try? JSONValue.parse(Array($0.utf8)) }?.object
            // In a pool whose users sign in with their email, the user's internal name is its sub.
            let names = [challenge["USER_ID_FOR_SRP"]?.string, challenge["USERNAME"]?.string].compactMap { $0 }
            return .accepted(
                id: names.first(where: TransferRecord.isUUID), emailVerified: attributes?["email_verified"]?.string == "true")
        } catch let refusal as Refusal {
            return refusal.isRefusal ? .refused : unavailable(refusal.type)
        } catch {
            return unavailable("\(error)")
        }
    }

    /// An error answer of Cognito: its `__type`.
    struct Refusal: Error {
        var type: String
        var isRefusal: Bool { CognitoPasswordSource.refusals.contains(type) }
    }

    /// One call of Cognito's JSON protocol; the answer's object, or `Refusal` for a 4xx.
    private func call(_ action: String, _ body: [String: Any]) async throws -> [String: JSONValue] {
        let answer = try await SourceRequest.post(
            endpoint,
            headers: [
                "Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "AWSCognitoIdentityProviderService.\(action)",
            ], body: body, timeout: timeout)
        let object = answer.json?.object
        switch answer.status {
        case 200:
            guard let object else { throw SourceRequest.Failure(description: "\(action) answered 200 without a JSON object") }
            return object
        case 400..<500:
            // "__type" may carry a namespace: "com.amazonaws...#NotAuthorizedException".
            let type = object?["__type"]?.string?.split(separator: "#").last.map(String.init) ?? "HTTP \(answer.status)"
            throw Refusal(type: type)
        default:
            throw SourceRequest.Failure(description: "\(action) answered \(answer.status)")
        }
    }

    private func unavailable(_ reason: String) -> SourceVerdict {
        logger.warning("migration source unavailable", metadata: ["source": "cognito", "reason": "\(reason)"])
        return .unavailable(reason: reason)
    }
}
