import HTTPTypes
import AuthCore
import Hummingbird
import ServerSupport

/// `POST /v1/token` (the password, refresh_token, mfa_otp and mfa_recovery_code grants) and
/// `POST /v1/revoke` (RFC 7009).
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
                let result = try await service.logIn(
                    email: email, password: password, client: context.client(request), clientID: parameters["client_id"])
                switch result {
                case .granted(let granted): grant = granted
                case .mfaRequired(let mfaToken): return Self.mfaRequired(mfaToken)
                }
            case "mfa_otp", "mfa_recovery_code":
                let codeName = parameters["grant_type"] == "mfa_otp" ? "otp" : "recovery_code"
                guard let mfaToken = parameters["mfa_token"] else {
                    throw APIError.invalidRequest("The parameter \"mfa_token\" is required.")
                }
                guard let code = parameters[codeName] else {
                    throw APIError.invalidRequest("The parameter \"\(codeName)\" is required.")
                }
                grant = try await service.completeMFALogin(
                    mfaToken: mfaToken, proof: codeName == "otp" ? .totp(code) : .recoveryCode(code),
                    client: context.client(request), clientID: parameters["client_id"])
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
                    message: "Supported grant types are password, refresh_token, mfa_otp and mfa_recovery_code.")
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

    /// 403 `mfa_required` with the `mfa_token` the second step takes.
    static func mfaRequired(_ mfaToken: String) -> Response {
        Response.json(
            [
                "error": "mfa_required", "error_description": "The password was right; a second factor is required.",
                "mfa_token": mfaToken,
            ], status: .forbidden, headers: [.cacheControl: "no-store", HTTPField.Name("Pragma")!: "no-cache"])
    }
}
