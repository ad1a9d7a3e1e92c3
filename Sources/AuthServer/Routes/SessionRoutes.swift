import AuthCore
import Hummingbird
import ServerSupport

/// `POST /v1/logout`, `GET /v1/sessions`, `DELETE /v1/sessions/{id}`.
struct SessionRoutes {
    let service: TokenService

    struct LogoutRequest: Decodable {
        var scope: String?
    }

    func register(on routes: RouteTable<ServerRequestContext>) {
        routes.on(.post, "/v1/logout") { request, context in
            let principal = try await service.authenticate(request)
            let body = try await BodyReader.optionalJSON(LogoutRequest.self, from: request)
            guard let scope = LogoutScope(rawValue: body?.scope ?? "local") else {
                throw APIError.invalidRequest("The scope must be \"local\" or \"global\".")
            }
            try await service.logOut(principal, scope: scope, client: context.client(request))
            return Response(status: .noContent)
        }
        routes.on(.get, "/v1/sessions") { request, _ in
            let principal = try await service.authenticate(request)
            let sessions = try await service.listSessions(accountID: principal.account.id).map {
                SessionSummary($0, endsAt: service.listSessions.endsAt($0), current: $0.id == principal.session.id)
            }
            return Response.json(["sessions": sessions], headers: [.cacheControl: "no-store"])
        }
        routes.on(.delete, "/v1/sessions/{id}") { request, context in
            let principal = try await service.authenticate(request)
            let id = try context.parameters.require("id")
            try await service.endSession(accountID: principal.account.id, id: id, client: context.client(request))
            return Response(status: .noContent)
        }
    }
}
