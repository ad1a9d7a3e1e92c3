import Foundation

/// Reads settings from command-line flags and environment variables: each variable
/// `PREFIX_NAME` has the flag `--name` (`AUTH_KEY_FILE` ↔ `--key-file`), the flag winning.
/// A malformed or out-of-range value is an error naming the setting, never a silent default.
public struct SettingsSource {
    let prefix: String
    let flags: [String: String]
    let environment: [String: String]
    private var used: Set<String> = []

    /// Parses `arguments` (without the program name) as `--name value` or `--name=value` pairs.
    public init(prefix: String, arguments: [String], environment: [String: String]) throws {
        var flags: [String: String] = [:]
        var remaining = arguments[...]
        while let argument = remaining.popFirst() {
            guard argument.hasPrefix("--"), argument.count > 2 else {
                throw StartupError.badSetting("unexpected argument '\(argument)'; settings are given as --name value")
            }
            let body = argument.dropFirst(2)
            let name: String, value: String
            if let equals = body.firstIndex(of: "=") {
                name = String(body[..<equals])
                value = String(body[body.index(after: equals)...])
            } else {
                guard let next = remaining.popFirst() else { throw StartupError.badSetting("--\(body) needs a value") }
                name = String(body)
                value = next
            }
            guard flags[name] == nil else { throw StartupError.badSetting("--\(name) is given more than once") }
            flags[name] = value
        }
        self.prefix = prefix
        self.flags = flags
        self.environment = environment
    }

    /// The flag that sets `variable`.
    public func flag(for variable: String) -> String {
        "--" + variable.dropFirst(prefix.count).lowercased().replacingOccurrences(of: "_", with: "-")
    }

    /// The raw value of `variable`, from its flag or the environment.
    public mutating func raw(_ variable: String) -> String? {
        used.insert(String(flag(for: variable).dropFirst(2)))
        return flags[String(flag(for: variable).dropFirst(2))] ?? environment[variable]
    }

    /// A string setting.
    public mutating func string(_ variable: String, default value: String) throws -> String {
        guard let raw = raw(variable) else { return value }
        guard !raw.isEmpty else { throw StartupError.badSetting("\(variable) must not be empty") }
        return raw
    }

    /// An optional string setting; set but empty is an error, not "unset".
    public mutating func optionalString(_ variable: String) throws -> String? {
        guard let raw = raw(variable) else { return nil }
        guard !raw.isEmpty else { throw StartupError.badSetting("\(variable) must not be empty") }
        return raw
    }

    /// An integer setting within `range`.
    public mutating func integer<T: FixedWidthInteger>(
        _ variable: String, default value: T, in range: ClosedRange<T>
    ) throws -> T {
        guard let raw = raw(variable) else { return value }
        guard let parsed = T(raw), range.contains(parsed) else {
            throw StartupError.badSetting("\(variable) must be an integer from \(range.lowerBound) to \(range.upperBound), not '\(raw)'")
        }
        return parsed
    }

    /// A setting that must be one of `choices`.
    public mutating func choice(_ variable: String, default value: String, among choices: [String]) throws -> String {
        guard let raw = raw(variable) else { return value }
        guard choices.contains(raw) else {
            throw StartupError.badSetting("\(variable) must be one of \(choices.joined(separator: ", ")), not '\(raw)'")
        }
        return raw
    }

    /// Environment variables with this source's prefix that name no setting read so far:
    /// likely typos, worth a warning.
    public func unusedVariables() -> [String] {
        environment.keys.filter { $0.hasPrefix(prefix) && !used.contains(String(flag(for: $0).dropFirst(2))) }.sorted()
    }

    /// Throws for a flag that names no setting read so far. Call after reading every setting.
    public func rejectUnknownFlags() throws {
        if let unknown = flags.keys.sorted().first(where: { !used.contains($0) }) {
            throw StartupError.badSetting("unknown option --\(unknown)")
        }
    }
}
