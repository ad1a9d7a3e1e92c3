import AuthCore
import Foundation

/// The hasher at the cheapest argon2 cost: verification of stored hashes doesn't depend on it.
let hasher = try! PasswordHasher(parameters: Argon2Parameters(memoryKiB: 8, iterations: 1, parallelism: 1))
let password = Password("password")

/// One input is one stored-hash string, as an import file or the database would hold it.
/// Every hash is identified and profiled; a hash that is recognised must be within the cost
/// bounds below, and is verified when it is cheap enough to do so thousands of times a second.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHash(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: data == nil ? 0 : size), as: UTF8.self)
    let scheme = PasswordHashScheme.identify(text)
    let profile = PasswordHashScheme.profile(of: text)
    precondition((scheme == nil) == (profile == "unrecognised"), "identify and profile disagree: \(profile)")
    _ = hasher.needsRehash(text)

    if let argon2 = Argon2Hash(phc: text) {
        precondition(scheme?.rawValue == argon2.variant.rawValue)
        precondition(Argon2Hash(phc: argon2.phc) == argon2, "a parsed argon2 hash does not survive its own PHC string")
    }
    guard let scheme else {
        precondition(!(try! hasher.verify(password, against: text)), "an unrecognised hash matched")
        return 0
    }
    let cost = Cost(profile: profile)
    precondition(cost.scheme == scheme.rawValue, "profile names another scheme: \(profile)")
    precondition(cost.withinBounds, "accepted a hash that costs too much to verify: \(profile)")
    if cost.cheap { _ = try! hasher.verify(password, against: text) }  // in process: only a refused hash, caught inside, can fail
    return 0
}

/// The work a hash asks for, read back from `PasswordHashScheme.profile(of:)`.
struct Cost {
    /// What PasswordHashScheme accepts (its parsers bound each cost so that no stored hash can
    /// make one verification take more than seconds or more than 1–4 GiB; see SECURITY.md).
    static let maximumBcryptCost = 16
    static let maximumSHACryptRounds = 5_000_000
    static let maximumYescryptBlocks = 1 << 23  // N·r, 128 bytes each: 1 GiB
    static let maximumPBKDF2Iterations = 10_000_000  // times the output blocks, which the profile does not show
    static let maximumScryptWork = 1 << 23  // N·r·p
    static let maximumArgon2Memory = 4_194_304  // KiB
    static let maximumArgon2Work = 1 << 23  // m·t, KiB·passes

    let scheme: String
    var values: [String: String] = [:]

    init(profile: String) {
        let words = profile.split(separator: " ", maxSplits: 1)
        self.profile = profile
        scheme = String(words[0])
        for pair in words.dropFirst().first?.split(separator: ",") ?? [] {
            let kv = pair.split(separator: "=", maxSplits: 1)
            if kv.count == 2 { values[String(kv[0])] = String(kv[1]) }
        }
    }

    let profile: String

    /// A numeric cost; the profile of a recognised hash always has it.
    func int(_ name: String) -> Int {
        guard let text = values[name], let value = Int(text) else { preconditionFailure("no number \(name) in \(profile)") }
        return value
    }

    /// Whether the hash is within the bounds the parsers promise.
    var withinBounds: Bool {
        switch scheme {
        case "argon2id", "argon2i", "argon2d":
            int("m") <= Self.maximumArgon2Memory && int("m") * int("t") <= Self.maximumArgon2Work && int("p") <= 255
        case "bcrypt", "bcrypt-sha256": int("cost") <= Self.maximumBcryptCost
        case "sha256-crypt", "sha512-crypt": int("rounds") <= Self.maximumSHACryptRounds
        case "yescrypt": Yescrypt(values["params"] ?? "")?.blocks ?? .max <= Self.maximumYescryptBlocks
        case "pbkdf2-sha1", "pbkdf2-sha256", "pbkdf2-sha512": int("i") <= Self.maximumPBKDF2Iterations
        case "scrypt": (1 << int("ln")) * int("r") * int("p") <= Self.maximumScryptWork
        default: true
        }
    }

    /// Whether one verification takes at most a few milliseconds.
    var cheap: Bool {
        switch scheme {
        case "argon2id", "argon2i", "argon2d": int("m") * int("t") <= 2048 && int("p") <= 4
        case "bcrypt", "bcrypt-sha256": int("cost") <= 5
        case "sha256-crypt", "sha512-crypt": int("rounds") <= 20_000
        case "yescrypt": Yescrypt(values["params"] ?? "")?.blocks ?? .max <= 1 << 15
        case "pbkdf2-sha1", "pbkdf2-sha256", "pbkdf2-sha512": int("i") <= 10_000
        case "scrypt": (1 << int("ln")) * int("r") * int("p") <= 1 << 14
        default: true
        }
    }
}

/// yescrypt's `$y$` parameters as libxcrypt encodes them (`j9T`: flavour, log2 N − 1, r − 1,
/// each a variable-length base-64 number), decoded independently of the parser under test.
struct Yescrypt {
    var n: Int
    var r: Int

    init?(_ params: String) {
        var bytes = Array(params.utf8)[...]
        guard Self.number(&bytes, minimum: 0) != nil, let logN = Self.number(&bytes, minimum: 1), logN <= 62,
            let r = Self.number(&bytes, minimum: 1)
        else { return nil }
        n = 1 << logN
        self.r = r
    }

    /// N·r, the memory in 128-byte blocks.
    var blocks: Int {
        let (product, overflow) = n.multipliedReportingOverflow(by: r)
        return overflow ? .max : product
    }

    private static let alphabet = Array("./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)

    /// libxcrypt's decode64_uint32.
    private static func number(_ bytes: inout ArraySlice<UInt8>, minimum: Int) -> Int? {
        guard let first = bytes.popFirst(), var c = alphabet.firstIndex(of: first) else { return nil }
        var value = minimum, start = 0, end = 47, chars = 1, bits = 0
        while c > end {
            value += (end + 1 - start) << bits
            start = end + 1
            end = start + (62 - end) / 2
            chars += 1
            bits += 6
        }
        value += (c - start) << bits
        while chars > 1 {
            chars -= 1
            guard let next = bytes.popFirst(), let digit = alphabet.firstIndex(of: next) else { return nil }
            c = digit
            bits -= 6
            value += c << bits
        }
        return value
    }
}
