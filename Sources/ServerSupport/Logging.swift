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

/// One line per request (method, route, status, duration, client), and the request's id in
/// `X-Request-Id`, the same id every log line of the request carries.
enum AccessLog {
    static let requestID = HTTPField.Name("X-Request-Id")!

    /// Logs `request`'s line and gives `response` the request's id.
    static func record(_ request: Request, context: ServerRequestContext, response: inout Response, elapsed: Duration) {
        response.headers[requestID] = context.id
        let logger = context.logger
        guard logger.logLevel <= .info else { return }
        let fields = LogFields(sorted: [
            ("client", context.clientIP), ("duration_ms", milliseconds(elapsed)), ("method", request.method.rawValue),
            ("route", context.endpointPath ?? "unmatched"), ("status", String(response.status.code)),
        ])
        if let handler = logger.handler as? ServerLogHandler {
            handler.info(message, source: source, fields: fields)
        } else {
            logger.info(
                "\(message)", metadata: .init(uniqueKeysWithValues: fields.entries.map { ($0.key, .string($0.value)) }), source: source)
        }
    }

    static let message = "request"
    /// The module the line is logged from, as `Logger` names it.
    static let source = "ServerSupport"

    /// `duration` in milliseconds with two decimals (`0.42`), without `String(format:)`'s cost.
    static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let hundredths = seconds * 100_000 + (attoseconds + 5_000_000_000_000) / 10_000_000_000_000
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
