import Foundation

/// The source of "now", injected so that expiry, lockout and rotation are tested with a fixed clock.
public typealias Clock = @Sendable () -> Date

extension Date {
    /// Whole seconds since 1970, the unit of every stored time.
    public var unixSeconds: Int64 { Int64(timeIntervalSince1970.rounded(.down)) }
}

/// Formats stored times as RFC 3339 UTC strings (`2026-11-28T12:00:00Z`).
public enum Timestamp {
    public static func rfc3339(_ seconds: Int64) -> String {
        Date(timeIntervalSince1970: TimeInterval(seconds)).formatted(.iso8601)
    }

    /// Whole seconds of an RFC 3339 time (`2026-11-28T12:00:00Z`, fractions and offsets allowed);
    /// with `naiveAsUTC`, a time without an offset (as Django and PostgreSQL may write) is UTC.
    public static func parse(_ text: String, naiveAsUTC: Bool = false) -> Int64? {
        for style in [Date.ISO8601FormatStyle(), Date.ISO8601FormatStyle(includingFractionalSeconds: true)] {
            if let date = try? style.parse(text) { return date.unixSeconds }
        }
        let hasOffset = text.hasSuffix("Z") || text.dropFirst(19).contains(where: { $0 == "+" || $0 == "-" })
        if naiveAsUTC, !hasOffset { return parse(text + "Z") }
        return nil
    }
}

/// New lowercase UUID strings, the format of every id.
public enum Identifier {
    public static func make() -> String { UUID().uuidString.lowercased() }
}
