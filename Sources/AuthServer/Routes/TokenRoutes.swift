import HTTPTypes
import AuthCore
import Hummingbird
import ServerSupport

/// `POST /v1/token` (password and refresh_token grants) and `POST /v1/revoke` (RFC 7009).
struct TokenRoutes {
    let service: TokenService

    func register(on routes: RouteTable<ServerRequestContext>) {
        routes.on(.post, "/v1/token") { request, context in
            let parameters = try await BodyReader.parameters(from: request)
            let grant: TokenGrant
            switch parameters["grant_type"] {
            case "password":
                guard let email = parameters["username"] ?? parameters["email"] else {
                    throw APIError.invalidRequest("The parameter \"username\" is required.")
                }
                guard let password = parameters["password"] else {
                    throw APIError.invalidRequest("The parameter \"password\" is required.")
                }
                grant = try await service.logIn(
                    email: email, password: password, client: context.client(request), clientID: parameters["client_id"])
            case "refresh_token":
                guard let token = parameters["refresh_token"] else {
                    throw APIError.invalidRequest("The parameter \"refresh_token\" is required.")
                }
                grant = try await service.refresh(
                    token: token, client: context.client(request), clientID: parameters["client_id"])
            case nil:
                throw APIError.invalidRequest("The parameter \"grant_type\" is required.")
            default:
                throw APIError(
                    .badRequest, code: "unsupported_grant_type",
                    message: "Supported grant types are password and refresh_token.")
            }
            return Response.json(TokenBody(grant), headers: [.cacheControl: "no-store", HTTPField.Name("Pragma")!: "no-cache"])
        }
        routes.on(.post, "/v1/revoke") { request, context in
            let parameters = try await BodyReader.parameters(from: request)
            guard let token = parameters["token"] else {
                throw APIError.invalidRequest("The parameter \"token\" is required.")
            }
            try await service.revoke(refreshToken: token, client: context.client(request))
            return Response.json([String: String](), headers: [.cacheControl: "no-store"])
        }
    }
}
