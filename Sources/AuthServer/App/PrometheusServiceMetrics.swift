import AuthCore
import Prometheus

/// The use cases' reports as Prometheus counters: `auth_logins_total{result}`,
/// `auth_refreshes_total{outcome}`, and the hash-duration histogram.
struct PrometheusServiceMetrics: ServiceMetrics {
    let registry: PrometheusCollectorRegistry

    func login(_ result: String) {
        registry.makeCounter(name: "auth_logins_total", labels: [("result", result)]).increment()
    }

    func refresh(_ outcome: String) {
        registry.makeCounter(name: "auth_refreshes_total", labels: [("outcome", outcome)]).increment()
    }

    /// Records one password hash's duration.
    func hashed(seconds: Double) {
        registry.makeValueHistogram(
            name: "auth_password_hash_duration_seconds", buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]
        ).record(seconds)
    }
}
