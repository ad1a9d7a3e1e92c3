import Hummingbird
import Prometheus
import Synchronization

/// Counts requests and records their latency by method, route and status, named the
/// Prometheus way (`http_requests_total`, `http_request_duration_seconds`). Routes are
/// path templates (`/v1/sessions/{id}`), never raw paths, so no label is per user.
///
/// The counter and histogram of each (method, route, status) are made in the registry once:
/// the registry's own lookup takes the labels as strings, and building them and looking them
/// up on every request cost more than the rest of the counting.
final class RequestMetrics: Sendable {
    static let buckets: [Duration] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]
        .map { .milliseconds($0 * 1000) }

    struct Key: Hashable {
        let method: HTTPRequest.Method
        let route: String
        let status: Int
    }

    private let registry: PrometheusCollectorRegistry
    private let made = Mutex<[Key: (Counter, DurationHistogram)]>([:])

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
    }

    /// Counts a request answered `status` after `elapsed`.
    func record(method: HTTPRequest.Method, route: String?, status: Int, elapsed: Duration) {
        let (requests, duration) = of(Key(method: method, route: route ?? "unmatched", status: status))
        requests.increment()
        duration.record(elapsed)
    }

    private func of(_ key: Key) -> (Counter, DurationHistogram) {
        made.withLock { made in
            if let found = made[key] { return found }
            let labels = [("method", key.method.rawValue), ("route", key.route), ("status", String(key.status))]
            let new = (
                registry.makeCounter(name: "http_requests_total", labels: labels),
                registry.makeDurationHistogram(name: "http_request_duration_seconds", labels: labels, buckets: Self.buckets)
            )
            made[key] = new
            return new
        }
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
