import Foundation

/// The source of "now", injected so that expiry, lockout and rotation are tested with a fixed clock.
public typealias Clock = @Sendable () -> Date

extension Date {
    /// Whole seconds since 1970, the unit of every stored time.
    public var unixSeconds: Int64 { Int64(timeIntervalSince1970.rounded(.down)) }
}

/// New lowercase UUID strings, the format of every id.
public enum Identifier {
    public static func make() -> String { UUID().uuidString.lowercased() }
}
