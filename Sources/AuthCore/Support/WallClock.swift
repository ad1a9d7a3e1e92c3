import Foundation

/// The source of "now", injected into every use case so that expiry, lockout and rotation are
/// tested with a fixed clock, and read at the point of use.
public struct WallClock: Sendable {
    public let date: @Sendable () -> Date

    public init(_ date: @escaping @Sendable () -> Date) {
        self.date = date
    }

    /// The machine's clock.
    public static let system = WallClock { Date() }

    /// Whole seconds since 1970, the unit of every stored time.
    public var seconds: Int64 { date().unixSeconds }
    /// Milliseconds since 1970, for the refresh grace window.
    public var milliseconds: Int64 { Int64((date().timeIntervalSince1970 * 1000).rounded(.down)) }

    /// `milliseconds` since 1970 in whole seconds, rounded down (as `seconds` has them) or up.
    static func seconds(fromMilliseconds milliseconds: Int64, roundingUp: Bool = false) -> Int64 {
        let (quotient, remainder) = milliseconds.quotientAndRemainder(dividingBy: 1000)
        if remainder > 0, roundingUp { return quotient + 1 }
        if remainder < 0, !roundingUp { return quotient - 1 }
        return quotient
    }
}

extension Date {
    /// Whole seconds since 1970, the unit of every stored time.
    public var unixSeconds: Int64 { Int64(timeIntervalSince1970.rounded(.down)) }
}
