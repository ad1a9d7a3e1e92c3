import Hummingbird

/// What every request passes through, as one middleware rather than a chain of them: each
/// layer of Hummingbird's chain is an async call that switches to the generic executor, which,
/// with tasks on the event loops, is a trip through the loop's queue (`perf` counted seven per
/// layer; without our six layers `/healthz` served a third more). In order: the client's address behind trusted proxies, a CORS
/// preflight, the rate limit, the handler, errors as JSON, CORS headers, metrics, the access
/// line with `X-Request-Id`, and `Connection: close` while the server drains.
struct ServerMiddleware: RouterMiddleware {
    typealias Context = ServerRequestContext

    let shutdown: GracefulShutdown
    let errors: ErrorResponses
    let metrics: RequestMetrics
    let proxies: TrustedProxies
    let cors: CORSAllowlist
    let rateLimit: RouteRateLimit?

    nonisolated(nonsending) func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let start = ContinuousClock.now
        var client = context
        client.clientIP = proxies.clientAddress(peer: context.clientIP, forwardedFor: request.headers[TrustedProxies.forwardedFor])
        var response: Response
        if let preflight = cors.preflight(request) {
            response = preflight
        } else {
            do {
                try rateLimit?.check(request, context: client)
                response = try await next(request, client)
            } catch {
                response = errors.apiError(for: error, context: client).response()
            }
            cors.expose(&response, to: request)
        }
        let elapsed = ContinuousClock.now - start
        metrics.record(method: request.method, route: context.endpointPath, status: response.status.code, elapsed: elapsed)
        AccessLog.record(request, context: client, response: &response, elapsed: elapsed)
        if shutdown.isDraining { response.headers[.connection] = "close" }
        return response
    }
}
