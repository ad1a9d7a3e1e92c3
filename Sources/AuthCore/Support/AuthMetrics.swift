import CoreMetrics

/// What the use cases report for monitoring, through swift-metrics: the server hands in the
/// Prometheus factory, tests the no-op one. Values are closed sets, never per user.
public struct AuthMetrics: Sendable {
    let factory: any MetricsFactory

    public init(factory: any MetricsFactory = NOOPMetricsHandler.instance) {
        self.factory = factory
    }

    /// `auth_logins_total{result}`: `succeeded`, `failed` or `throttled`.
    func login(_ result: String) {
        Counter(label: "auth_logins_total", dimensions: [("result", result)], factory: factory).increment()
    }

    /// `auth_refreshes_total{outcome}`: `rotated`, `grace`, `reuse_detected` or `rejected`.
    func refresh(_ outcome: String) {
        Counter(label: "auth_refreshes_total", dimensions: [("outcome", outcome)], factory: factory).increment()
    }

    /// `auth_password_hash_duration_seconds`: one password hash's duration.
    public func hashed(seconds: Double) {
        Timer(label: Self.hashDuration, factory: factory).recordNanoseconds(Int64(seconds * 1e9))
    }

    /// `auth_active_sessions`: the sessions live now.
    public func activeSessions(_ count: Int) {
        Gauge(label: "auth_active_sessions", factory: factory).record(count)
    }

    /// `auth_hash_queue_depth`: password checks waiting for a hashing thread.
    public func hashQueueDepth(_ count: Int) {
        Gauge(label: "auth_hash_queue_depth", factory: factory).record(count)
    }

    /// `auth_mail_queued_total`, `auth_mail_sent_total`, `auth_mail_failed_total`, by `purpose`.
    func mail(_ event: String, purpose: MailPurpose) {
        Counter(label: "auth_mail_\(event)_total", dimensions: [("purpose", purpose.rawValue)], factory: factory).increment()
    }

    /// `auth_mail_pending` and `auth_mail_queue_age_seconds`: the queue's length and the age of
    /// its oldest mail (0 when empty).
    func mailBacklog(pending: Int, oldestAge: Int64) {
        Gauge(label: "auth_mail_pending", factory: factory).record(pending)
        Gauge(label: "auth_mail_queue_age_seconds", factory: factory).record(oldestAge)
    }

    public static let hashDuration = "auth_password_hash_duration_seconds"
}
