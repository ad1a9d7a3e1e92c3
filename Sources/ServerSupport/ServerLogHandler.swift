import Foundation
import Logging
import Synchronization
import WireFormat

/// How both servers log: one line per event into a `LogSink` (stderr), lines at `error` and
/// above written out before the call returns.
/// - `text`: swift-log's `StreamLogHandler` line (`2026-11-30T16:20:00+0000 info AuthServer:
///   key=value [Module] message`, metadata sorted by key), at a fraction of its cost, which was
///   a quarter of a `/healthz` with the access log on: the timestamp is formatted once a
///   second, the line built in one string.
/// - `json`: one object, `time`, `level`, `label`, `message`, then the metadata.
public struct ServerLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider? = LoggingSystem.metadataProvider
    public var logLevel: Logger.Level = .info
    private let label: String
    private let format: LogSettings.Format
    private let sink: LogSink

    public init(label: String, format: LogSettings.Format = .text, sink: LogSink = .standardError) {
        self.label = label
        self.format = format
        self.sink = sink
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let metadata = event.sortedMetadata(over: metadata, from: metadataProvider)
        sink.write(format == .json ? json(event, metadata) : text(event, metadata), level: event.level)
    }

    private func text(_ event: LogEvent, _ metadata: [(key: String, value: Logger.MetadataValue)]) -> String {
        var line = Self.timestamp()
        line.reserveCapacity(256)
        line += " "
        line += event.level.rawValue
        if !label.isEmpty { line += " " }
        line += label
        line += ":"
        for (key, value) in metadata {
            line += " "
            line += key
            line += "="
            line += value.description
        }
        line += " ["
        line += event.source
        line += "] "
        line += event.message.description
        line += "\n"
        return line
    }

    private func json(_ event: LogEvent, _ metadata: [(key: String, value: Logger.MetadataValue)]) -> String {
        let members = [
            ("time", JSONText.string(Date().formatted(.iso8601))), ("level", JSONText.string(event.level.rawValue)),
            ("label", JSONText.string(label)), ("message", JSONText.string(event.message.description)),
        ]
        return JSONText.object(members + metadata.map { ($0.key, JSONText.string($0.value.description)) }) + "\n"
    }

    /// The second last formatted, and its text.
    private static let lastSecond = Mutex<(second: time_t, text: String)>((-1, ""))

    /// Now as local time, `%Y-%m-%dT%H:%M:%S%z` (StreamLogHandler's format).
    static func timestamp() -> String {
        var now = time(nil)
        if let text = lastSecond.withLock({ $0.second == now ? $0.text : nil }) { return text }
        var local = tm()
        var buffer = [CChar](repeating: 0, count: 64)
        guard localtime_r(&now, &local) != nil, strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S%z", &local) > 0 else {
            return "<unknown>"
        }
        let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        lastSecond.withLock { $0 = (now, text) }
        return text
    }
}
