import Foundation

/// A message saved by `Tests/smtp_sink.py`.
struct ReceivedMessage: Decodable {
    let mail_from: String
    let rcpt_tos: [String]
    let data_base64: String
    let starttls: Bool
    let authenticated: Bool

    var data: String { String(decoding: Data(base64Encoded: data_base64) ?? Data(), as: UTF8.self) }
}

/// A running `smtp_sink.py` process on 127.0.0.1; use through `withSink`.
final class SMTPSink {
    let port: Int
    let directory: TemporaryDirectory
    private let process: Process

    private init(port: Int, directory: TemporaryDirectory, process: Process) {
        self.port = port
        self.directory = directory
        self.process = process
    }

    static let scriptPath = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("smtp_sink.py").path

    /// Starts the sink with extra arguments and waits for its `PORT n` line.
    static func start(_ arguments: [String], directory: TemporaryDirectory) throws -> SMTPSink {
        let outDirectory = directory.path("out")
        try FileManager.default.createDirectory(atPath: outDirectory, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: directory.path("sink.err"), contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", scriptPath, "--out", outDirectory] + arguments
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = try FileHandle(forWritingTo: directory.url.appendingPathComponent("sink.err"))
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = stdout.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line += chunk
        }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("PORT "), let port = Int(text.dropFirst(5).prefix { $0.isNumber }) else {
            SMTPSink(port: 0, directory: directory, process: process).stop()
            let stderr = (try? String(contentsOfFile: directory.path("sink.err"), encoding: .utf8)) ?? ""
            throw TestSupportError("smtp_sink.py did not start (is aiosmtpd installed? pip install aiosmtpd): \(stderr)")
        }
        return SMTPSink(port: port, directory: directory, process: process)
    }

    /// The messages the sink accepted so far.
    func messages() throws -> [ReceivedMessage] {
        let folder = directory.url.appendingPathComponent("out")
        return try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "json" }
            .map { try JSONDecoder().decode(ReceivedMessage.self, from: Data(contentsOf: $0)) }
    }

    /// Terminates the sink, killing it if it has not exited within two seconds.
    func stop() {
        process.terminate()
        let deadline = Date().addingTimeInterval(2)
        while process.isRunning && Date() < deadline {
            usleep(20_000)
        }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
    }
}

/// How the sink protects its connections.
enum SinkTLS {
    case none, startTLS, implicit
}

/// Runs `body` with a sink started with `arguments` (plus a fresh certificate for
/// `tls`); the sink is stopped and its directory removed afterwards, also on failure.
func withSink<T>(
    _ arguments: [String] = [],
    tls: SinkTLS = .none,
    _ body: (SMTPSink, TestCertificate) async throws -> T
) async throws -> T {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let cert = try TestCertificate(in: directory)
    let tlsArguments = switch tls {
    case .none: [String]()
    case .startTLS: ["--starttls", cert.certificatePath, cert.keyPath]
    case .implicit: ["--tls", cert.certificatePath, cert.keyPath]
    }
    let sink = try SMTPSink.start(arguments + tlsArguments, directory: directory)
    defer { sink.stop() }
    return try await body(sink, cert)
}
