import AuthCore
import Hummingbird
import ServerSupport

/// Verification and recovery by email: `POST /v1/email/verification`, `/v1/email/verify`,
/// `/v1/password/forgot`, `/v1/password/reset`, `/v1/email/change`, `/v1/email/confirm`.
struct EmailRoutes {
    let service: TokenService

    /// Every path here, rate-limited per address like sign-up and login.
    static let paths = [
        "/v1/email/verification", "/v1/email/verify", "/v1/password/forgot", "/v1/password/reset", "/v1/email/change",
        "/v1/email/confirm",
    ]

    struct TokenRequest: Decodable {
        var token: String
    }

    struct ForgotRequest: Decodable {
        var email: String
    }

    struct ResetRequest: Decodable {
        var token: String
        var newPassword: String

        enum CodingKeys: String, CodingKey {
            case token
            case newPassword = "new_password"
        }
    }

    struct ChangeRequest: Decodable {
        var newEmail: String
        var password: String

        enum CodingKeys: String, CodingKey {
            case newEmail = "new_email"
            case password
        }
    }

    func register(on routes: RouteTable<ServerRequestContext>) {
        routes.on(.post, "/v1/email/verification") { request, context in
            let principal = try await service.authenticate(request)
            try await service.requestVerification(principal, client: context.client(request))
            return Self.accepted
        }
        routes.on(.post, "/v1/email/verify") { request, context in
            let body = try await BodyReader.json(TokenRequest.self, from: request)
            let account = try await service.verifyEmail(token: body.token, client: context.client(request))
            return Response.json(AccountSummary(account), headers: [.cacheControl: "no-store"])
        }
        routes.on(.post, "/v1/password/forgot") { request, context in
            let body = try await BodyReader.json(ForgotRequest.self, from: request)
            try await service.forgotPassword(email: body.email, client: context.client(request))
            return Self.accepted
        }
        routes.on(.post, "/v1/password/reset") { request, context in
            let body = try await BodyReader.json(ResetRequest.self, from: request)
            try await service.resetPassword(token: body.token, newPassword: body.newPassword, client: context.client(request))
            return Response(status: .noContent, headers: [.cacheControl: "no-store"])
        }
        routes.on(.post, "/v1/email/change") { request, context in
            let principal = try await service.authenticate(request)
            let body = try await BodyReader.json(ChangeRequest.self, from: request)
            try await service.changeEmail(
                principal, newEmail: body.newEmail, password: body.password, client: context.client(request))
            return Self.accepted
        }
        routes.on(.post, "/v1/email/confirm") { request, context in
            let body = try await BodyReader.json(TokenRequest.self, from: request)
            let account = try await service.confirmEmail(token: body.token, client: context.client(request))
            return Response.json(AccountSummary(account), headers: [.cacheControl: "no-store"])
        }
    }

    /// 202 `{}`: the same bytes whatever happened behind it.
    static var accepted: Response {
        Response.json([String: String](), status: .accepted, headers: [.cacheControl: "no-store"])
    }
}
