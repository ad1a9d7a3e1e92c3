import Hummingbird

/// Registers routes on a router and remembers them, so that a known path requested with
/// another method gets 405 with `Allow` (RFC 9110 §15.5.6) instead of 404.
public final class RouteTable<Context: RequestContext> {
    public let router: Router<Context>
    private var methods: [(path: RouterPath, methods: [HTTPRequest.Method])] = []

    public init(router: Router<Context>) {
        self.router = router
    }

    /// Adds `handler` for `method` on `path`.
    public func on(
        _ method: HTTPRequest.Method, _ path: RouterPath,
        use handler: @escaping @Sendable (Request, Context) async throws -> some ResponseGenerator
    ) {
        router.on(path, method: method, use: handler)
        if let index = methods.firstIndex(where: { $0.path.description == path.description }) {
            methods[index].methods.append(method)
        } else {
            methods.append((path, [method]))
        }
    }

    /// Answers 405 on every registered path for the methods it doesn't serve. Call last.
    public func rejectOtherMethods() {
        let all: [HTTPRequest.Method] = [.get, .head, .post, .put, .patch, .delete, .options]
        for (path, served) in methods {
            let allowed = served.contains(.get) && !served.contains(.head) ? served + [.head] : served
            let allow = allowed.map(\.rawValue).joined(separator: ", ")
            for method in all where !allowed.contains(method) {
                router.on(path, method: method) { _, _ -> Response in
                    throw APIError(
                        .methodNotAllowed, code: "method_not_allowed", message: "Method not allowed.",
                        headers: [.allow: allow])
                }
            }
        }
    }
}
