import Logging

/// A log line's metadata as text, sorted by key, each key once. Kept as a small sorted array
/// of strings: a line has a handful of keys, and swift-log's dictionaries of `MetadataValue`s,
/// merged and sorted, were half the cost of an access line.
struct LogFields {
    private(set) var entries: [(key: String, value: String)]

    /// Fields from `entries`, already sorted by key with no key twice.
    init(sorted entries: [(key: String, value: String)]) {
        assert(zip(entries, entries.dropFirst()).allSatisfy { $0.key < $1.key })
        self.entries = entries
    }

    /// Puts `value` under `key` in its place; an entry already under `key` is replaced only
    /// when `replacing`.
    mutating func set(_ key: String, _ value: String, replacing: Bool) {
        var index = entries.endIndex
        while index > entries.startIndex, key < entries[index - 1].key { index -= 1 }
        if index > entries.startIndex, entries[index - 1].key == key {
            if replacing { entries[index - 1].value = value }
        } else {
            entries.insert((key, value), at: index)
        }
    }

    /// Adds each of `metadata`'s entries, replacing those of the same key when `replacing`.
    mutating func set(_ metadata: Logger.Metadata, replacing: Bool) {
        for (key, value) in metadata { set(key, value.description, replacing: replacing) }
    }
}

extension LogEvent {
    /// The line's metadata: the logger's, then its provider's, then the call's own (a later one
    /// wins a key), and an error's message and type.
    func fields(over base: Logger.Metadata, from provider: Logger.MetadataProvider?) -> LogFields {
        var fields = LogFields(sorted: [])
        fields.set(base, replacing: true)
        if let provided = provider?.get() { fields.set(provided, replacing: true) }
        if let metadata { fields.set(metadata, replacing: true) }
        if let error {
            fields.set("error.message", "\(error)", replacing: true)
            fields.set("error.type", String(reflecting: type(of: error)), replacing: true)
        }
        return fields
    }
}
