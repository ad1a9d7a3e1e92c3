import AuthCore
import Hummingbird
import ServerSupport

/// `POST /v1/accounts`, `GET /v1/me`, `POST /v1/password`.
struct AccountRoutes {
    let service: TokenService

    struct SignUpRequest: Decodable {
        var email: String
        var password: String
    }

    struct ChangePasswordRequest: Decodable {
        var currentPassword: String
        var newPassword: String

        enum CodingKeys: String, CodingKey {
            case currentPassword = "current_password"
            case newPassword = "new_password"
        }
    }

    func register(on routes: RouteTable<ServerRequestContext>) {
        routes.on(.post, "/v1/accounts") { request, context in
            let body = try await BodyReader.json(SignUpRequest.self, from: request)
            let account = try await service.signUp(email: body.email, password: body.password, client: context.client(request))
            return Response.json(AccountSummary(account), status: .created)
        }
        routes.on(.get, "/v1/me") { request, _ in
            let principal = try await service.authenticate(request)
            return Response.json(bytes: AccountSummary(principal.account).json, headers: [.cacheControl: "no-store"])
        }
        routes.on(.post, "/v1/password") { request, context in
            let principal = try await service.authenticate(request)
            let body = try await BodyReader.json(ChangePasswordRequest.self, from: request)
            try await service.changePassword(
                principal, current: body.currentPassword, new: body.newPassword, client: context.client(request))
            return Response(status: .noContent)
        }
    }
}

extension ServerRequestContext {
    /// The caller's address and user agent, for throttling and session records.
    func client(_ request: Request) -> ClientInfo {
        ClientInfo(ip: clientIP, userAgent: request.headers[.userAgent] ?? "", addressKey: clientAddressKey)
    }
}

extension TokenService {
    /// The caller of a Bearer-authenticated request, or 401.
    nonisolated(nonsending) func authenticate(_ request: Request) async throws -> Principal {
        guard let token = request.bearerToken else { throw AuthError.missingToken }
        return try await authenticate(bearer: token)
    }
}
