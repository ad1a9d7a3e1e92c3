import AuthCore
import AuthCrypto
import AuthTokens
import Foundation

// `make bench`, in-process part: each hot path against its floor, measured in the same run
// (release build), medians of 5 repetitions, each figure with its ratio to its floor.
//
// Token verification is also compared with peers a user would pick instead, each verifying
// the same token in its own process (see `runPeer`):
//   --jwt-kit PATH   the JWTKitPeer executable (Benchmarks/JWTKitPeer, its own package, so the
//                    product never depends on jwt-kit); default Benchmarks/JWTKitPeer/.build/release/JWTKitPeer
//   --joserfc PATH   the joserfc script, run with python3; default Benchmarks/joserfc_peer.py
// A peer that is missing or fails is printed as "skipped (reason)".

let key = Ed25519.PrivateKey()
let kid = JWK.thumbprint(publicKey: key.publicKey)
let now = Int64(Date().timeIntervalSince1970)
let claims = AccessTokenClaims(
    issuer: "http://127.0.0.1:8080", subject: UUID().uuidString.lowercased(), audience: "listings",
    expiresAt: now + 900, issuedAt: now, tokenID: UUID().uuidString, sessionID: UUID().uuidString.lowercased(), clientID: "bench")
let signer = AccessTokenSigner(key: key, kid: kid)
let token = signer.sign(claims)
let parts = token.split(separator: ".")
let signingInput = Array(token.utf8.prefix(parts[0].utf8.count + 1 + parts[1].utf8.count))
let signature = Base64.decode(parts[2])!
let keys = VerificationKeys([kid: key.publicKey])
let verifier = AccessTokenVerifier(issuer: "http://127.0.0.1:8080", audience: "listings")
let verifyFloor = { _ = Ed25519.verify(signature: signature, message: signingInput, publicKey: key.publicKey) }

Table.header("token verification (µs per token)")
let verification = Table.pair(2_000, floor: verifyFloor, candidate: { _ = verifier.verify(token, keys: keys, now: Date()) })
Table.row("libsodium crypto_sign_verify_detached (floor)", verification.floor, ratio: 1)
Table.row("AccessTokenVerifier.verify, first sight", verification.value, ratio: verification.ratio, target: "≤ 1.10× (issue #7)")
let cachingVerifier = AccessTokenVerifier(issuer: verifier.issuer, audience: verifier.audience, cache: VerifiedTokenCache())
_ = cachingVerifier.verify(token, keys: keys, now: Date())
let cached = Table.pair(2_000, floor: verifyFloor, candidate: { _ = cachingVerifier.verify(token, keys: keys, now: Date()) })
Table.row("AccessTokenVerifier.verify, seen before (cache)", cached.value, ratio: cached.ratio, target: "far below 1× (issue #7)")

let peerInput = [token, JWK(publicKey: key.publicKey).json, verifier.issuer, verifier.audience, "2000"]
let peers = [
    ("jwt-kit JWTKeyCollection.verify (peer)", argument("--jwt-kit") ?? "Benchmarks/JWTKitPeer/.build/release/JWTKitPeer", [String](), "about 1.6×"),
    ("joserfc jwt.decode + JWTClaimsRegistry (peer)", "/usr/bin/env", ["python3", argument("--joserfc") ?? "Benchmarks/joserfc_peer.py"], "about 2.2×"),
]
for (label, executable, arguments, expected) in peers {
    let program = arguments.last ?? executable
    guard FileManager.default.fileExists(atPath: program) else {
        Table.skipped(label, "not built: \(program); `make bench` builds it")
        continue
    }
    let floor = Table.measure(2_000, verifyFloor)  // again, next to the peer's own run
    switch runPeer(executable: executable, arguments: arguments, input: peerInput) {
    case .success(let value): Table.row(label, value, ratio: value / floor, target: "peer (issue #7: \(expected))")
    case .failure(let failure): Table.skipped(label, failure.reason)
    }
}

Table.header("token signing (µs per token)")
let signing = Table.pair(2_000, floor: { _ = key.sign(signingInput) }, candidate: { _ = signer.sign(claims) })
Table.row("libsodium crypto_sign_detached (floor)", signing.floor, ratio: 1)
Table.row("AccessTokenSigner.sign", signing.value, ratio: signing.ratio, target: "≤ 1.30× (issue #7)")

Table.header("password hashing (per hash)")
let parameters = Argon2Parameters.default
let salt = Sodium.randomBytes(16)
let passwordBytes = SecretBytes(Array("correct horse battery".utf8))
let hasher = try PasswordHasher(parameters: parameters)
let stored = try hasher.hash(Password("correct horse battery"))
let hashing = Table.pair(
    3,
    floor: {
        _ = try! SodiumArgon2.hash(
            variant: .argon2id, password: passwordBytes, salt: salt, iterations: parameters.iterations,
            memoryKiB: parameters.memoryKiB, outputLength: 32)
    },
    candidate: { _ = try! hasher.verify(Password("correct horse battery"), against: stored) })
Table.row("libsodium crypto_pwhash argon2id m=64MiB,t=3 (floor)", hashing.floor, ratio: 1)
Table.row("PasswordHasher.verify (the login path's hash)", hashing.value, ratio: hashing.ratio, target: "≤ 1.05× (issue #7)")
