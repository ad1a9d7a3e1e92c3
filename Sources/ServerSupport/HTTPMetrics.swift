import Hummingbird
import Prometheus

/// Counts requests and records their latency by method, route and status, named the
/// Prometheus way (`http_requests_total`, `http_request_duration_seconds`). Routes are
/// path templates (`/v1/sessions/{id}`), never raw paths, so no label is per user.
public struct HTTPMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    static var buckets: [Duration] {
        [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5].map { .milliseconds($0 * 1000) }
    }

    let registry: PrometheusCollectorRegistry

    public init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        let route = context.endpointPath ?? "unmatched"
        let labels = [("method", request.method.rawValue), ("route", route), ("status", String(response.status.code))]
        registry.makeCounter(name: "http_requests_total", labels: labels).increment()
        registry.makeDurationHistogram(name: "http_request_duration_seconds", labels: labels, buckets: Self.buckets)
            .record(ContinuousClock.now - start)
        return response
    }
}

extension PrometheusCollectorRegistry {
    /// The registry in the Prometheus text exposition format, as a `GET /metrics` response.
    public func response() -> Response {
        var buffer: [UInt8] = []
        emit(into: &buffer)
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: buffer)))
    }
}
