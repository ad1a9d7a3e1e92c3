import Foundation

@testable import ServerSupport

/// A temporary file and a `LogSink` writing to it, for the logging tests; removed when freed.
final class LogFile: @unchecked Sendable {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("log-\(UUID()).log").path
    let sink: LogSink
    private let descriptor: Int32

    init() {
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        precondition(descriptor >= 0, "cannot create \(path)")
        sink = LogSink(descriptor: descriptor)
    }

    deinit {
        sink.flush()
        close(descriptor)
        try? FileManager.default.removeItem(atPath: path)
    }

    /// What the file holds now (without flushing first).
    func text() throws -> String {
        try String(contentsOfFile: path, encoding: .utf8)
    }

    /// Every line written, once what is pending is flushed.
    func lines() throws -> [String] {
        sink.flush()
        return try text().split(separator: "\n").map(String.init)
    }
}
