/// Minimal JSON writing for fixed-shape objects (token headers, claims, JWKs, export lines):
/// faster than a general encoder and byte-for-byte predictable.
public enum JSONText {
    /// `value` as a JSON string literal, quotes included.
    public static func string(_ value: String) -> String {
        var out: [UInt8] = []
        appendString(value, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// A JSON object from ordered pairs whose values are already JSON text.
    public static func object(_ members: [(String, String)]) -> String {
        var writer = JSONObjectWriter()
        for (name, value) in members { writer.add(JSONObjectWriter.Name(name), json: value) }
        return String(decoding: writer.finish(), as: UTF8.self)
    }

    /// Appends `value` as a JSON string literal to `out`: `"` and `\` escaped, control characters as `\n`,
    /// `\r`, `\t` or `\u00XX`, everything else as its UTF-8.
    public static func appendString(_ value: some UTF8Text, to out: inout [UInt8]) {
        out.appendJSON(atMost: 2 + JSONCursor.bound(escaping: value.utf8Count)) { json in
            json.byte(UInt8(ascii: "\""))
            json.escaped(value)
            json.byte(UInt8(ascii: "\""))
        }
    }

    /// Appends `value` in decimal, as `String(value)` writes it, without making that string.
    public static func appendInteger(_ value: Int64, to out: inout [UInt8]) {
        out.appendJSON(atMost: JSONCursor.integerBound) { $0.integer(value) }
    }
}

/// Writes one JSON object, member by member, straight into UTF-8 bytes.
public struct JSONObjectWriter {
    private var bytes: [UInt8]
    private var empty = true

    public init(capacity: Int = 256) {
        self.init(appendingTo: [], capacity: capacity)
    }

    /// An object written after what `bytes` already holds (an enclosing array, say), with room
    /// for `capacity` more bytes; `finish()` gives all of it back.
    public init(appendingTo bytes: consuming [UInt8], capacity: Int) {
        self.bytes = bytes
        if self.bytes.capacity - self.bytes.count < capacity {
            // At least double: reserving only what one more object needs would copy the whole
            // buffer for every object once a page outgrows its first guess.
            self.bytes.reserveCapacity(max(self.bytes.count + capacity, 2 * self.bytes.capacity))
        }
        self.bytes.append(UInt8(ascii: "{"))
    }

    /// A member's name: one written in the source, copied as it is, or any other, escaped.
    public struct Name: Sendable, ExpressibleByStringLiteral {
        fileprivate enum Text: Sendable {
            case literal(StaticString)
            case escaped([UInt8])
        }
        fileprivate let text: Text

        /// Any name, escaped as JSON requires.
        public init(_ name: String) {
            var quoted: [UInt8] = []
            JSONText.appendString(name, to: &quoted)
            text = .escaped(quoted)
        }

        /// A name written in the source, which needs no escape (no quote, backslash or control
        /// character): copied as it is, with nothing to scan or allocate.
        public init(stringLiteral name: StaticString) {
            assert(name.withUTF8Buffer { !$0.contains { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") } })
            text = .literal(name)
        }
    }

    private mutating func name(_ name: Name) {
        if !empty { bytes.append(UInt8(ascii: ",")) }
        empty = false
        switch name.text {
        case .literal(let literal):
            bytes.append(UInt8(ascii: "\""))
            literal.withUTF8Buffer { bytes.append(contentsOf: $0) }
            bytes.append(UInt8(ascii: "\""))
        case .escaped(let quoted):
            bytes += quoted
        }
        bytes.append(UInt8(ascii: ":"))
    }

    /// A string member.
    public mutating func add(_ name: Name, string value: some UTF8Text) {
        self.name(name)
        JSONText.appendString(value, to: &bytes)
    }

    /// A member whose value is an RFC 3339 time (whole seconds, UTC) as a string.
    public mutating func add(_ name: Name, time seconds: Int64) {
        self.name(name)
        bytes.append(UInt8(ascii: "\""))
        Timestamp.appendRFC3339(seconds, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    /// An integer member.
    public mutating func add(_ name: Name, integer value: Int64) {
        self.name(name)
        JSONText.appendInteger(value, to: &bytes)
    }

    /// A member whose value is already JSON text.
    public mutating func add(_ name: Name, json value: String) {
        add(name, json: Array(value.utf8))
    }

    /// A member whose value is already JSON text, as UTF-8 bytes.
    public mutating func add(_ name: Name, json value: [UInt8]) {
        self.name(name)
        bytes += value
    }

    /// The object's bytes, closed.
    public consuming func finish() -> [UInt8] {
        bytes.append(UInt8(ascii: "}"))
        return bytes
    }
}

/// Text a JSON string is written from without a copy: a `String`, or UTF-8 bytes read in place
/// (a database row's column while it is current).
public protocol UTF8Text {
    /// How many UTF-8 bytes the text has.
    var utf8Count: Int { get }
    /// Calls `body` with the text's UTF-8 bytes, valid during the call only.
    func withUTF8Bytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result
}

extension String: UTF8Text {
    public var utf8Count: Int { utf8.count }

    public func withUTF8Bytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        var text = self  // shares the storage; `withUTF8` copies only a string not stored as UTF-8
        return text.withUTF8(body)
    }
}

extension UnsafeBufferPointer<UInt8>: UTF8Text {
    public var utf8Count: Int { count }

    public func withUTF8Bytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        body(self)
    }
}
