import AuthTokens
import Foundation
import Hummingbird
import Prometheus
import ServerSupport
import Synchronization

/// Checks each request's access token locally, with keys from the token service's JWKS:
/// no call to the token service per request.
struct BearerAuthenticator: Sendable {
    let keys: KeySetCache
    let verifier: AccessTokenVerifier
    let verifications: VerificationCounters

    init(keys: KeySetCache, verifier: AccessTokenVerifier, registry: PrometheusCollectorRegistry) {
        self.keys = keys
        self.verifier = verifier
        verifications = VerificationCounters(registry: registry)
    }

    /// The verified token's subject (the account id), or 401; 503 until keys are loaded.
    nonisolated(nonsending) func subject(of request: Request) async throws -> String {
        guard let token = request.bearerToken else {
            count("missing")
            throw APIError.unauthorized(tokenPresented: false)
        }
        guard let result = await keys.verify(token, with: verifier, now: Date()) else {
            count("keys_unavailable")
            throw APIError.retryLater(
                .serviceUnavailable, code: "keys_unavailable",
                message: "The token service's public keys are not loaded yet.", after: 5)
        }
        switch result {
        case .valid(let claims):
            count("valid")
            return claims.subject
        case .invalid(let reason):
            count(reason.description.hasPrefix("missing_claim") ? "missing_claim" : reason.description)
            throw APIError.unauthorized(tokenPresented: true)
        }
    }

    private func count(_ result: String) {
        verifications.count(result)
    }
}

/// `token_verifications_total` by result, each counter made in the registry once: the
/// registry's lookup by name and labels, on every request, was half a percent of a page.
final class VerificationCounters: Sendable {
    private let registry: PrometheusCollectorRegistry
    private let made = Mutex<[String: Counter]>([:])

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
    }

    /// Counts one verification with this result.
    func count(_ result: String) {
        made.withLock { made in
            if let counter = made[result] { return counter }
            let counter = registry.makeCounter(name: "token_verifications_total", labels: [("result", result)])
            made[result] = counter
            return counter
        }.increment()
    }
}
