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

extension LogEvent {
    /// The line's metadata sorted by key: the logger's, then its provider's, then the call's own
    /// (a later one wins a key), and an error's message and type. Gathered into one array rather
    /// than by merging dictionaries: a line has a handful of keys, and the merges and the sort of
    /// the merged dictionary were half the cost of an access line.
    func sortedMetadata(over base: Logger.Metadata, from provider: Logger.MetadataProvider?)
        -> [(key: String, value: Logger.MetadataValue)]
    {
        var all: [(key: String, value: Logger.MetadataValue)] = []
        all.reserveCapacity(base.count + (metadata?.count ?? 0) + 2)
        all.append(contentsOf: base.lazy.map { ($0.key, $0.value) })
        if let provided = provider?.get() { all.append(contentsOf: provided.lazy.map { ($0.key, $0.value) }) }
        if let metadata { all.append(contentsOf: metadata.lazy.map { ($0.key, $0.value) }) }
        if let error {
            all.append(("error.message", "\(error)"))
            all.append(("error.type", "\(String(reflecting: type(of: error)))"))
        }
        // By key, and the later of two entries of a key first: the first of each key is kept.
        let order = all.indices.sorted { all[$0].key != all[$1].key ? all[$0].key < all[$1].key : $0 > $1 }
        var sorted: [(key: String, value: Logger.MetadataValue)] = []
        sorted.reserveCapacity(all.count)
        for index in order where sorted.last?.key != all[index].key { sorted.append(all[index]) }
        return sorted
    }
}

/// One line per request (method, route, status, duration, client), and the request's id in
/// `X-Request-Id`, the same id every log line of the request carries.
enum AccessLog {
    static let requestID = HTTPField.Name("X-Request-Id")!

    /// Logs `request`'s line and gives `response` the request's id.
    static func record(_ request: Request, context: ServerRequestContext, response: inout Response, elapsed: Duration) {
        response.headers[requestID] = context.id
        context.logger.info(
            "request",
            metadata: [
                "method": .string(request.method.rawValue), "route": .string(context.endpointPath ?? "unmatched"),
                "status": .string(String(response.status.code)), "duration_ms": .string(milliseconds(elapsed)),
                "client": .string(context.clientIP),
            ])
    }

    /// `duration` in milliseconds with two decimals (`0.42`), without `String(format:)`'s cost.
    static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let hundredths = seconds * 100_000 + (attoseconds + 5_000_000_000_000) / 10_000_000_000_000
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
