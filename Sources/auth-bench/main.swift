import AuthCore
import AuthCrypto
import AuthTokens
import Foundation

// `make bench`: each hot path against its floor, measured in the same run (release build).
// Prints medians of 5 repetitions; each figure with its ratio to the baseline.

/// Median time per operation, in microseconds, of `iterations` runs of `body`, over 5 repetitions.
func measure(_ iterations: Int, _ body: () -> Void) -> Double {
    let clock = ContinuousClock()
    var samples: [Double] = []
    for _ in 0..<5 {
        let elapsed = clock.measure { for _ in 0..<iterations { body() } }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        samples.append(seconds / Double(iterations) * 1e6)
    }
    return samples.sorted()[2]
}

func row(_ name: String, _ value: Double, baseline: Double, target: String) {
    let ratio = String(format: "%.2f×", value / baseline)
    print(name.padding(toLength: 46, withPad: " ", startingAt: 0), String(format: "%10.2f µs", value), ratio.padding(toLength: 8, withPad: " ", startingAt: 0), target)
}

let key = Ed25519.PrivateKey()
let kid = JWK.thumbprint(publicKey: key.publicKey)
let now = Int64(Date().timeIntervalSince1970)
let claims = AccessTokenClaims(
    issuer: "http://127.0.0.1:8080", subject: UUID().uuidString.lowercased(), audience: "listings",
    expiresAt: now + 900, issuedAt: now, tokenID: UUID().uuidString, sessionID: UUID().uuidString.lowercased())
let signer = AccessTokenSigner(key: key, kid: kid)
let token = signer.sign(claims)
let parts = token.split(separator: ".")
let signingInput = Array(token.utf8.prefix(parts[0].utf8.count + 1 + parts[1].utf8.count))
let signature = Base64.decode(parts[2])!
let keys = VerificationKeys([kid: key.publicKey])
let verifier = AccessTokenVerifier(issuer: "http://127.0.0.1:8080", audience: "listings")

print("operation".padding(toLength: 46, withPad: " ", startingAt: 0), "   median", "  ratio  ", "target")
let verifyFloor = measure(2_000) { _ = Ed25519.verify(signature: signature, message: signingInput, publicKey: key.publicKey) }
row("libsodium crypto_sign_verify_detached (floor)", verifyFloor, baseline: verifyFloor, target: "")
let verify = measure(2_000) { _ = verifier.verify(token, keys: keys, now: Date()) }
row("AccessTokenVerifier.verify, first sight", verify, baseline: verifyFloor, target: "≤ 1.10× (issue #7)")

let signFloor = measure(2_000) { _ = key.sign(signingInput) }
row("libsodium crypto_sign_detached (floor)", signFloor, baseline: signFloor, target: "")
let sign = measure(2_000) { _ = signer.sign(claims) }
row("AccessTokenSigner.sign", sign, baseline: signFloor, target: "≤ 1.30× (issue #7)")

let parameters = Argon2Parameters.default
let salt = Sodium.randomBytes(16)
let passwordBytes = Array("correct horse battery".utf8)
let hashFloor = measure(5) {
    _ = try! SodiumArgon2.hash(
        variant: .argon2id, password: passwordBytes, salt: salt, iterations: parameters.iterations,
        memoryKiB: parameters.memoryKiB, outputLength: 32)
}
row("libsodium crypto_pwhash argon2id m=64MiB,t=3 (floor)", hashFloor, baseline: hashFloor, target: "")
let hasher = try PasswordHasher(parameters: parameters)
let stored = try hasher.hash(Password("correct horse battery"))
let login = measure(5) { _ = hasher.verify(Password("correct horse battery"), against: stored) }
row("PasswordHasher.verify (the login path's hash)", login, baseline: hashFloor, target: "≤ 1.05× (issue #7)")
