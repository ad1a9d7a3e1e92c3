/// The cost of an Argon2 hash.
public struct Argon2Parameters: Sendable, Equatable, CustomStringConvertible {
    /// Memory in KiB (`m`).
    public var memoryKiB: UInt32
    /// Passes over memory (`t`).
    public var iterations: UInt32
    /// Lanes (`p`).
    public var parallelism: UInt32

    public init(memoryKiB: UInt32, iterations: UInt32, parallelism: UInt32) {
        self.memoryKiB = memoryKiB
        self.iterations = iterations
        self.parallelism = parallelism
    }

    /// m=64 MiB, t=3, p=1: RFC 9106 §4's second recommended option, above OWASP's argon2id minimum.
    public static let `default` = Argon2Parameters(memoryKiB: 65_536, iterations: 3, parallelism: 1)

    /// The memory one hash at this cost takes.
    public var memoryBytes: Int { Int(memoryKiB) * 1024 }

    public var description: String { "m=\(memoryKiB),t=\(iterations),p=\(parallelism)" }

    /// Whether libargon2 accepts these values (p ≥ 1, m ≥ 8p KiB, t ≥ 1), with sane upper bounds
    /// so a hostile imported hash can't demand terabytes, nor minutes per login: at most 4 GiB,
    /// and m·t at most `maximumWork`.
    public var isValid: Bool {
        parallelism >= 1 && parallelism <= 255 && iterations >= 1 && iterations <= 1_000
            && memoryKiB >= 8 * parallelism && memoryKiB <= 4_194_304
            && UInt64(memoryKiB) * UInt64(iterations) <= Self.maximumWork
    }

    /// 8 GiB·passes (KiB × t), about 3.5 s of one core here: 40× the default, 4× RFC 9106's
    /// first option (2 GiB, t=1).
    public static let maximumWork: UInt64 = 1 << 23
}
