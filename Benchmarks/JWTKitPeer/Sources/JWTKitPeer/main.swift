import Foundation
import JWTKit

// The jwt-kit peer of auth-bench (issue #7): verifies the same access token as a
// resource server using jwt-kit would, and prints microseconds per verification.
//
// stdin, one item a line: the compact token, the Ed25519 public key as a JWK (JSON),
// the expected issuer, the audience, the iteration count.
// stdout: the median over 5 repetitions of microseconds per verification.
// Exit 2 with a one-line reason on stderr when the input is bad or the token is rejected.

func fail(_ reason: String) -> Never {
    FileHandle.standardError.write(Data("jwt-kit: \(reason)\n".utf8))
    exit(2)
}

/// The expected issuer and audience, read once with the rest of stdin.
enum Expected {
    static let lines: [String] = {
        var lines: [String] = []
        while lines.count < 5, let line = readLine() { lines.append(line) }
        guard lines.count == 5 else { fail("expected 5 lines on stdin, got \(lines.count)") }
        return lines
    }()
    static var issuer: String { lines[2] }
    static var audience: String { lines[3] }
}

/// An access token's claims (RFC 9068 §2.2 plus `sid`), checked as jwt-kit's docs show.
struct AccessToken: JWTPayload {
    var iss: IssuerClaim
    var sub: SubjectClaim
    var aud: AudienceClaim
    var exp: ExpirationClaim
    var iat: IssuedAtClaim
    var jti: IDClaim
    var sid: String

    func verify(using _: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
        guard iss.value == Expected.issuer else {
            throw JWTError.claimVerificationFailure(failedClaim: iss, reason: "unexpected issuer")
        }
        try aud.verifyIntendedAudience(includes: Expected.audience)
    }
}

/// Median time per operation, in microseconds, of `iterations` runs of `body`, over 5 repetitions.
func measure(_ iterations: Int, _ body: () async throws -> Void) async rethrows -> Double {
    let clock = ContinuousClock()
    var samples: [Double] = []
    for _ in 0..<5 {
        let start = clock.now
        for _ in 0..<iterations { try await body() }
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        samples.append(seconds / Double(iterations) * 1e6)
    }
    return samples.sorted()[2]
}

let token = Expected.lines[0]
guard let iterations = Int(Expected.lines[4]), iterations > 0 else { fail("bad iteration count") }
let keys = JWTKeyCollection()
do {
    try await keys.add(jwk: JSONDecoder().decode(JWK.self, from: Data(Expected.lines[1].utf8)))
} catch {
    fail("public key not accepted: \(error)")
}
do {
    _ = try await keys.verify(token, as: AccessToken.self)
} catch {
    fail("token rejected: \(error)")
}
let median = try await measure(iterations) { _ = try await keys.verify(token, as: AccessToken.self) }
print(String(format: "%.3f", median))
