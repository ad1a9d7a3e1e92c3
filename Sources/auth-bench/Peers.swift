import Foundation

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
