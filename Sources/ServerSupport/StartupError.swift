/// Why a server can't start, said in one line: a bad setting (exit 64, as sysexits' usage
/// error) or something it needs that it can't open (exit 1).
public struct StartupError: Error, CustomStringConvertible {
    public enum Kind: Sendable {
        case badSetting
        case cannotStart
    }

    public let kind: Kind
    public let description: String

    public static func badSetting(_ description: String) -> StartupError { StartupError(kind: .badSetting, description: description) }
    public static func cannotStart(_ description: String) -> StartupError { StartupError(kind: .cannotStart, description: description) }

    /// The process's exit status for this failure.
    public var exitCode: Int32 { kind == .badSetting ? 64 : 1 }
}
