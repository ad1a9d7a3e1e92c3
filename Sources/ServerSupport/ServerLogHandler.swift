import Foundation
import Logging
import Synchronization
import WireFormat

/// How both servers log: one line per event into a `LogSink` (stderr), lines at `error` and
/// above written out before the call returns.
/// - `text`: swift-log's `StreamLogHandler` line (`2026-11-30T16:20:00+0000 info AuthServer:
///   key=value [Module] message`, metadata sorted by key), at a fraction of its cost, which was
///   a quarter of a `/healthz` with the access log on: the timestamp is formatted once a
///   second, the line built in one buffer of bytes.
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
        write(event.level, event.message.description, source: event.source, event.fields(over: metadata, from: metadataProvider))
    }

    /// An `info` line from `source` with `fields` (sorted by key) as the call's own metadata: the
    /// line `Logger.info` would write, without the dictionary it takes. How the access line is
    /// written, once per request.
    func info(_ message: String, source: String, fields: LogFields) {
        guard logLevel <= .info else { return }
        var fields = fields
        if let provided = metadataProvider?.get() { fields.set(provided, replacing: false) }
        fields.set(metadata, replacing: false)
        write(.info, message, source: source, fields)
    }

    private func write(_ level: Logger.Level, _ message: String, source: String, _ fields: LogFields) {
        sink.write(format == .json ? json(level, message, fields) : text(level, message, source: source, fields), level: level)
    }

    private func text(_ level: Logger.Level, _ message: String, source: String, _ fields: LogFields) -> [UInt8] {
        var line: [UInt8] = []
        line.reserveCapacity(256)
        line += Self.timestamp().utf8
        line.append(UInt8(ascii: " "))
        line += level.rawValue.utf8
        if !label.isEmpty { line.append(UInt8(ascii: " ")) }
        line += label.utf8
        line.append(UInt8(ascii: ":"))
        for (key, value) in fields.entries {
            line.append(UInt8(ascii: " "))
            line += key.utf8
            line.append(UInt8(ascii: "="))
            line += value.utf8
        }
        line += " [".utf8
        line += source.utf8
        line += "] ".utf8
        line += message.utf8
        line.append(UInt8(ascii: "\n"))
        return line
    }

    private func json(_ level: Logger.Level, _ message: String, _ fields: LogFields) -> [UInt8] {
        var object = JSONObjectWriter()
        object.add("time", time: Int64(time(nil)))
        object.add("level", string: level.rawValue)
        object.add("label", string: label)
        object.add("message", string: message)
        for (key, value) in fields.entries { object.add(.init(key), string: value) }
        var line = object.finish()
        line.append(UInt8(ascii: "\n"))
        return line
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
