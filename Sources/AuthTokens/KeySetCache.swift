import Foundation
import Synchronization

/// Verification keys that come from a JWKS source (a URL or a file): loaded at start,
/// reloaded periodically by the owner, and refetched when a token names an unknown `kid`,
/// at most once per `minimumRefetchInterval`, so a flood of random `kid`s can't make a
/// service hammer the token service. Once loaded, keys stay in use when a later fetch
/// fails: a service keeps verifying while the token service is down.
public final class KeySetCache: Sendable {
    public typealias Fetch = @Sendable () async throws -> [UInt8]

    struct State {
        var keys: VerificationKeys?
        var lastUnknownKeyFetch: ContinuousClock.Instant?
        var inFlight: Task<Void, Never>?
    }

    private let fetch: Fetch
    private let minimumRefetchInterval: Duration
    private let state = Mutex(State())

    /// `fetch` returns a JWKS document.
    public init(minimumRefetchInterval: Duration = .seconds(10), fetch: @escaping Fetch) {
        self.fetch = fetch
        self.minimumRefetchInterval = minimumRefetchInterval
    }

    /// The keys, or nil while none have ever been loaded.
    public var keys: VerificationKeys? { state.withLock { $0.keys } }

    /// Fetches and installs the keys now; on failure the previous keys stay and the error is thrown.
    public func reload() async throws {
        let keys = try VerificationKeys(jwks: try await fetch())
        state.withLock { $0.keys = keys }
    }

    /// Refetches because a token named `kid`, unless that key is known by now or the last such
    /// refetch was too recent. Concurrent callers share one fetch. Returns the keys after it.
    public func refetch(forUnknownKey kid: String) async -> VerificationKeys? {
        let now = ContinuousClock.now
        let task: Task<Void, Never>? = state.withLock { state in
            if state.keys?.publicKey(kid: kid) != nil { return nil }
            if let inFlight = state.inFlight { return inFlight }
            if let last = state.lastUnknownKeyFetch, now - last < minimumRefetchInterval { return nil }
            state.lastUnknownKeyFetch = now
            let task = Task {
                _ = try? await self.reload()
                self.state.withLock { $0.inFlight = nil }
            }
            state.inFlight = task
            return task
        }
        await task?.value
        return keys
    }

    /// Verifies `token`, refetching the keys once if it names an unknown `kid`.
    /// Nil when no keys have ever been loaded (the caller answers 503, not 401).
    nonisolated(nonsending) public func verify(
        _ token: String, with verifier: AccessTokenVerifier, now: Date
    ) async -> TokenVerification? {
        guard let keys else { return nil }
        let result = verifier.verify(token, keys: keys, now: now)
        guard case .invalid(.unknownKey(let kid)) = result, !kid.isEmpty,
            let refreshed = await refetch(forUnknownKey: kid)
        else { return result }
        return verifier.verify(token, keys: refreshed, now: now)
    }
}
