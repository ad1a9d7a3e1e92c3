import AuthCore
import Hummingbird
import ServerSupport

/// The second factor: `POST /v1/mfa/totp`, `POST /v1/mfa/totp/verify`, `DELETE /v1/mfa/totp`,
/// `POST /v1/mfa/recovery-codes`.
struct MFARoutes {
    let service: TokenService

    /// Every path here, rate-limited per address like the login.
    static let paths = ["/v1/mfa/totp", "/v1/mfa/totp/verify", "/v1/mfa/recovery-codes"]

    struct PasswordRequest: Decodable {
        var password: String
    }

    struct CodeRequest: Decodable {
        var code: String
    }

    struct Enrolment: Encodable {
        var secret: String
        var otpauthUri: String
    }

    struct RecoveryCodes: Encodable {
        var recoveryCodes: [String]
    }

    func register(on routes: RouteTable<ServerRequestContext>) {
        routes.on(.post, "/v1/mfa/totp") { request, context in
            let principal = try await service.authenticate(request)
            let body = try await BodyReader.json(PasswordRequest.self, from: request)
            let enrolment = try await service.enrollTOTP(principal, password: body.password, client: context.client(request))
            return Response.json(
                Enrolment(secret: enrolment.secret, otpauthUri: enrolment.otpauthURI), headers: [.cacheControl: "no-store"])
        }
        routes.on(.post, "/v1/mfa/totp/verify") { request, context in
            let principal = try await service.authenticate(request)
            let body = try await BodyReader.json(CodeRequest.self, from: request)
            let codes = try await service.confirmTOTP(principal, code: body.code, client: context.client(request))
            return Response.json(RecoveryCodes(recoveryCodes: codes), headers: [.cacheControl: "no-store"])
        }
        routes.on(.delete, "/v1/mfa/totp") { request, context in
            let principal = try await service.authenticate(request)
            let body = try await BodyReader.json(CodeRequest.self, from: request)
            try await service.disableTOTP(principal, code: body.code, client: context.client(request))
            return Response(status: .noContent, headers: [.cacheControl: "no-store"])
        }
        routes.on(.post, "/v1/mfa/recovery-codes") { request, context in
            let principal = try await service.authenticate(request)
            let body = try await BodyReader.json(CodeRequest.self, from: request)
            let codes = try await service.regenerateRecoveryCodes(principal, code: body.code, client: context.client(request))
            return Response.json(RecoveryCodes(recoveryCodes: codes), headers: [.cacheControl: "no-store"])
        }
    }
}
