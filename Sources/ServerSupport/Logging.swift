import Foundation
import HTTPTypes
import Hummingbird
import Logging
import WireFormat

/// How a server logs: `text` (swift-log's default lines) or `json` (one object per line),
/// and from which level.
public struct LogSettings: Sendable {
    public enum Format: String, Sendable { case text, json }
    public var format = Format.text
    public var level = Logger.Level.info

    public init() {}
}

extension SettingsSource {
    /// `PREFIX_LOG_FORMAT` (`text`, `json`) and `PREFIX_LOG_LEVEL` (`trace` … `critical`).
    public mutating func logSettings() throws -> LogSettings {
        var settings = LogSettings()
        settings.format = LogSettings.Format(
            rawValue: try choice(prefix + "LOG_FORMAT", default: "text", among: ["text", "json"], help: "log line format"))!
        settings.level = Logger.Level(
            rawValue: try choice(prefix + "LOG_LEVEL", default: "info", among: Logger.Level.allCases.map(\.rawValue), help: "least severe level logged"))!
        return settings
    }
}

/// One JSON object per line on stderr (through `LogSink`): `time`, `level`, `label`, `message`, then the metadata.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public var logLevel: Logger.Level = .info
    private let label: String

    public init(label: String) {
        self.label = label
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        var members = [
            ("time", JSONText.string(Date().formatted(.iso8601))), ("level", JSONText.string(event.level.rawValue)),
            ("label", JSONText.string(label)), ("message", JSONText.string(event.message.description)),
        ]
        members += merged.sorted { $0.key < $1.key }.map { ($0.key, JSONText.string($0.value.description)) }
        LogSink.standardError.write(JSONText.object(members) + "\n")
    }
}

/// `base`, with every line at `error` and above written out before the logging call returns:
/// a crash or a kill right after an error loses none of the lines that explain it.
public struct FlushingErrors: LogHandler {
    var base: any LogHandler
    let sink: LogSink

    public init(_ base: any LogHandler, sink: LogSink = .standardError) {
        self.base = base
        self.sink = sink
    }

    public var metadata: Logger.Metadata {
        get { base.metadata }
        set { base.metadata = newValue }
    }

    public var metadataProvider: Logger.MetadataProvider? {
        get { base.metadataProvider }
        set { base.metadataProvider = newValue }
    }

    public var logLevel: Logger.Level {
        get { base.logLevel }
        set { base.logLevel = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { base[metadataKey: key] }
        set { base[metadataKey: key] = newValue }
    }

    public func log(event: LogEvent) {
        base.log(event: event)
        if event.level >= .error { sink.flush() }
    }
}

/// Logs one line per request (method, route, status, duration, client) and returns the
/// request's id in `X-Request-Id`, the same id every log line of the request carries.
public struct AccessLogMiddleware: RouterMiddleware {
    public typealias Context = ServerRequestContext
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var response = try await next(request, context)
        let elapsed = ContinuousClock.now - start
        response.headers[HTTPField.Name("X-Request-Id")!] = context.id
        context.logger.info(
            "request",
            metadata: [
                "method": "\(request.method.rawValue)", "route": "\(context.endpointPath ?? "unmatched")",
                "status": "\(response.status.code)", "duration_ms": "\(Self.milliseconds(elapsed))",
                "client": "\(context.clientIP)",
            ])
        return response
    }

    /// `duration` in milliseconds with two decimals (`0.42`), without `String(format:)`'s cost.
    static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let hundredths = seconds * 100_000 + (attoseconds + 5_000_000_000_000) / 10_000_000_000_000
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
