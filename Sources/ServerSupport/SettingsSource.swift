import Foundation

import Configuration

/// Reads settings through swift-configuration: a `CommandLineArgumentsProvider` first, then an
/// `EnvironmentVariablesProvider`, so each variable `PREFIX_NAME` has the flag `--name`
/// (`AUTH_KEY_FILE` ↔ `--key-file`), the flag winning. On top of the providers, what they leave
/// to the application: the arguments must all be `--name value` pairs naming a setting, and a
/// malformed or out-of-range value is an error naming the setting, never a silent default.
/// Every read also records the setting, with its default and a line of help, for `--help`.
public struct SettingsSource {
    let prefix: String
    let flags: Set<String>
    let environment: [String: String]
    let reader: ConfigReader
    private var used: Set<String> = []
    /// The settings read so far, in order: what `--help` lists.
    public private(set) var documented: [SettingHelp] = []

    /// Checks `arguments` (without the program name) as `--name value` or `--name=value` pairs.
    public init(prefix: String, arguments: [String], environment: [String: String]) throws {
        var flags: Set<String> = []
        var remaining = arguments[...]
        while let argument = remaining.popFirst() {
            guard argument.hasPrefix("--"), argument.count > 2 else {
                throw StartupError.badSetting("unexpected argument '\(argument)'; settings are given as --name value")
            }
            let body = argument.dropFirst(2)
            let name: String
            if let equals = body.firstIndex(of: "=") {
                name = String(body[..<equals])
            } else {
                guard remaining.popFirst() != nil else { throw StartupError.badSetting("--\(body) needs a value") }
                name = String(body)
            }
            guard flags.insert(name).inserted else { throw StartupError.badSetting("--\(name) is given more than once") }
        }
        self.prefix = prefix
        self.flags = flags
        self.environment = environment
        let scope = String(prefix.dropLast()).lowercased()  // "AUTH_" → "auth"
        reader = ConfigReader(providers: [
            CommandLineArgumentsProvider(arguments: ["program"] + arguments),
            EnvironmentVariablesProvider(environmentVariables: environment).prefixKeys(with: ConfigKey(scope)),
        ])
    }

    /// The flag that sets `variable`.
    public func flag(for variable: String) -> String {
        "--" + variable.dropFirst(prefix.count).lowercased().replacingOccurrences(of: "_", with: "-")
    }

    /// The configuration key of `variable`: `AUTH_KEY_FILE` → `[key, file]`, which the providers
    /// read as `--key-file` and, under the prefix, `AUTH_KEY_FILE`.
    func key(for variable: String) -> ConfigKey {
        ConfigKey(variable.dropFirst(prefix.count).lowercased().split(separator: "_").map(String.init))
    }

    /// The raw value of `variable`, from its flag or the environment, documented for `--help`.
    public mutating func raw(_ variable: String, default value: String?, help: String) -> String? {
        used.insert(String(flag(for: variable).dropFirst(2)))
        documented.append(SettingHelp(variable: variable, flag: flag(for: variable), defaultValue: value, help: help))
        return reader.string(forKey: key(for: variable))
    }

    /// A string setting.
    public mutating func string(_ variable: String, default value: String, help: String) throws -> String {
        guard let raw = raw(variable, default: value, help: help) else { return value }
        guard !raw.isEmpty else { throw StartupError.badSetting("\(variable) must not be empty") }
        return raw
    }

    /// An optional string setting; set but empty is an error, not "unset". `absent` says what unset means.
    public mutating func optionalString(_ variable: String, absent: String = "none", help: String) throws -> String? {
        guard let raw = raw(variable, default: absent, help: help) else { return nil }
        guard !raw.isEmpty else { throw StartupError.badSetting("\(variable) must not be empty") }
        return raw
    }

    /// An integer setting within `range`.
    public mutating func integer<T: FixedWidthInteger>(
        _ variable: String, default value: T, in range: ClosedRange<T>, help: String
    ) throws -> T {
        guard let raw = raw(variable, default: "\(value)", help: help) else { return value }
        guard let parsed = T(raw), range.contains(parsed) else {
            throw StartupError.badSetting("\(variable) must be an integer from \(range.lowerBound) to \(range.upperBound), not '\(raw)'")
        }
        return parsed
    }

    /// A setting that must be one of `choices`.
    public mutating func choice(_ variable: String, default value: String, among choices: [String], help: String) throws
        -> String
    {
        guard let raw = raw(variable, default: value, help: help + " (\(choices.joined(separator: ", ")))") else { return value }
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
        if let unknown = flags.sorted().first(where: { !used.contains($0) }) {
            throw StartupError.badSetting("unknown option --\(unknown)")
        }
    }
}

/// One setting as `--help` shows it.
public struct SettingHelp: Sendable {
    public var variable: String
    public var flag: String
    public var defaultValue: String?
    public var help: String

    /// The `--help` text of `settings`: one setting a line, its flag, variable, default and meaning.
    public static func text(_ settings: [SettingHelp], usage: String) -> String {
        let width = settings.map { $0.flag.count + 1 + $0.variable.count + 3 }.max() ?? 0
        let lines = settings.map { setting in
            let names = "\(setting.flag), \(setting.variable)"
            let padded = names.padding(toLength: max(width, names.count), withPad: " ", startingAt: 0)
            return "  \(padded)  \(setting.help) [default: \(setting.defaultValue ?? "none")]"
        }
        return ([usage, "", "Each setting is a flag or the environment variable of the same name; the flag wins."] + lines)
            .joined(separator: "\n")
    }
}
