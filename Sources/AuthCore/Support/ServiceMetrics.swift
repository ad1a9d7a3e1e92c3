/// What the use cases report for monitoring; the server turns it into Prometheus metrics.
/// Values are closed sets (results, outcomes), never per-user.
public protocol ServiceMetrics: Sendable {
    /// A password login's result: `succeeded`, `failed` or `throttled`.
    func login(_ result: String)
    /// A refresh's outcome: `rotated`, `grace`, `reuse_detected` or `rejected`.
    func refresh(_ outcome: String)
}

/// Reports nothing: the default, and what tests use.
public struct NoMetrics: ServiceMetrics {
    public init() {}
    public func login(_ result: String) {}
    public func refresh(_ outcome: String) {}
}
