import AuthCore
import AuthCrypto
import AuthTokens
import Foundation

// `make bench`: each hot path against its floor, measured in the same run (release build).
// Prints medians of 5 repetitions; each figure with its ratio to the baseline.
//
// Token verification is also compared with peers a user would pick instead, each verifying
// the same token in its own process (see `runPeer`):
//   --jwt-kit PATH   the JWTKitPeer executable (Benchmarks/JWTKitPeer, its own package, so the
//                    product never depends on jwt-kit); default Benchmarks/JWTKitPeer/.build/release/JWTKitPeer
//   --joserfc PATH   the joserfc script, run with python3; default Benchmarks/joserfc_peer.py
// A peer that is missing or fails is printed as "skipped (reason)".

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

let labelWidth = 56

func row(_ name: String, _ value: Double, baseline: Double, target: String) {
    let ratio = String(format: "%.2f×", value / baseline)
    print(name.padding(toLength: labelWidth, withPad: " ", startingAt: 0), String(format: "%10.2f µs", value), ratio.padding(toLength: 8, withPad: " ", startingAt: 0), target)
}

func skippedRow(_ name: String, _ reason: String) {
    print(name.padding(toLength: labelWidth, withPad: " ", startingAt: 0), "skipped (\(reason))")
}

/// The value following `flag` on the command line, if any.
func argument(_ flag: String) -> String? {
    let arguments = CommandLine.arguments
    guard let index = arguments.firstIndex(of: flag), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}

/// Runs a peer verifier as a subprocess. Its stdin gets, a line each: the compact token, the
/// Ed25519 public key as a JWK (JSON), the expected issuer, the audience, the iteration count.
/// The peer verifies the token once (exiting non-zero with a one-line reason if it doesn't),
/// then prints the median over 5 repetitions of microseconds per full verification.
/// Returns that median, or why there is none. The peer is ended after `timeout` seconds.
func runPeer(executable: String, arguments: [String], input: [String], timeout: Double = 300) -> Result<Double, PeerFailure> {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    signal(SIGPIPE, SIG_IGN)  // a peer that exits before reading its stdin must not end the bench
    let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = stderr
    do { try process.run() } catch { return .failure(PeerFailure("cannot start \(executable): \(error.localizedDescription)")) }
    let errorBox = PeerOutput()
    let readErrors = DispatchGroup()
    DispatchQueue.global().async(group: readErrors) { errorBox.data = stderr.fileHandleForReading.readDataToEndOfFile() }
    let timer = DispatchWorkItem { if process.isRunning { process.terminate() } }
    DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: timer)
    try? stdin.fileHandleForWriting.write(contentsOf: Data((input.joined(separator: "\n") + "\n").utf8))
    try? stdin.fileHandleForWriting.close()
    let output = stdout.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    timer.cancel()
    readErrors.wait()
    let text = String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    if process.terminationReason == .uncaughtSignal {
        return .failure(PeerFailure("killed by signal \(process.terminationStatus)\(process.terminationStatus == 15 ? ", over \(Int(timeout)) s" : "")"))
    }
    guard process.terminationStatus == 0, let value = Double(text), value > 0 else {
        let lastLine = String(decoding: errorBox.data, as: UTF8.self).split(separator: "\n").last.map(String.init)
        let reason = lastLine ?? (text.isEmpty ? "no output" : "printed \(text.prefix(40))")
        return .failure(PeerFailure("exit \(process.terminationStatus): \(reason.prefix(120))"))
    }
    return .success(value)
}

struct PeerFailure: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}

final class PeerOutput: @unchecked Sendable {
    var data = Data()
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

print("operation".padding(toLength: labelWidth, withPad: " ", startingAt: 0), "   median", "  ratio  ", "target")
let verifyFloor = measure(2_000) { _ = Ed25519.verify(signature: signature, message: signingInput, publicKey: key.publicKey) }
row("libsodium crypto_sign_verify_detached (floor)", verifyFloor, baseline: verifyFloor, target: "")
let verify = measure(2_000) { _ = verifier.verify(token, keys: keys, now: Date()) }
row("AccessTokenVerifier.verify, first sight", verify, baseline: verifyFloor, target: "≤ 1.10× (issue #7)")

let peerInput = [
    token, JWK(publicKey: key.publicKey).json, verifier.issuer, verifier.audience, "2000",
]
let jwtKitPeer = argument("--jwt-kit") ?? "Benchmarks/JWTKitPeer/.build/release/JWTKitPeer"
let jwtKitLabel = "jwt-kit JWTKeyCollection.verify (peer)"
if !FileManager.default.isExecutableFile(atPath: jwtKitPeer) {
    skippedRow(jwtKitLabel, "not built: \(jwtKitPeer); `make bench` builds it")
} else {
    switch runPeer(executable: jwtKitPeer, arguments: [], input: peerInput) {
    case .success(let value): row(jwtKitLabel, value, baseline: verifyFloor, target: "peer (issue #7: about 1.6×)")
    case .failure(let failure): skippedRow(jwtKitLabel, failure.reason)
    }
}
let joserfcPeer = argument("--joserfc") ?? "Benchmarks/joserfc_peer.py"
let joserfcLabel = "joserfc jwt.decode + JWTClaimsRegistry (peer)"
if !FileManager.default.fileExists(atPath: joserfcPeer) {
    skippedRow(joserfcLabel, "no script at \(joserfcPeer)")
} else {
    switch runPeer(executable: "/usr/bin/env", arguments: ["python3", joserfcPeer], input: peerInput) {
    case .success(let value): row(joserfcLabel, value, baseline: verifyFloor, target: "peer (issue #7: about 2.2×)")
    case .failure(let failure): skippedRow(joserfcLabel, failure.reason)
    }
}

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
