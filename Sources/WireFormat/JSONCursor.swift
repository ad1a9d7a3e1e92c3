/// Writes JSON text front to back into memory already reserved for it, with no check for room
/// and no bookkeeping per piece: the caller reserves at most what it may write (`bound(escaping:)`
/// and the bounds below). The one implementation of a JSON string's escapes, an integer's digits
/// and an RFC 3339 time, whatever then holds the bytes (an array, a NIO buffer).
public struct JSONCursor {
    /// Where the next byte goes.
    public var position: UnsafeMutablePointer<UInt8>

    /// A cursor at `start`, in front of enough reserved memory for what will be written.
    @inlinable public init(at start: UnsafeMutablePointer<UInt8>) {
        position = start
    }

    /// At most how many bytes `escaped` writes for text of `count` UTF-8 bytes (`\u00XX` for each).
    public static func bound(escaping count: Int) -> Int { 6 * count }
    /// At most how many bytes `integer` writes.
    public static let integerBound = 20
    /// At most how many bytes `rfc3339` writes: a sign, up to 12 digits of year, and 16 more.
    public static let timeBound = 32

    /// Copies `text`, written in the source and needing no escape.
    @inlinable @inline(__always) public mutating func literal(_ text: StaticString) {
        let count = text.utf8CodeUnitCount
        position.update(from: text.utf8Start, count: count)
        position += count
    }

    /// Copies `bytes`, JSON text already (written by this cursor before, say).
    @inlinable public mutating func json(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let base = bytes.baseAddress else { return }
        copy(base, count: bytes.count)
    }

    /// Writes one byte.
    @inlinable public mutating func byte(_ byte: UInt8) {
        position.pointee = byte
        position += 1
    }

    /// Writes `value` as the inside of a JSON string literal: `"` and `\` escaped, control
    /// characters as `\n`, `\r`, `\t` or `\u00XX`, everything else as its UTF-8.
    @inlinable public mutating func escaped(_ value: some UTF8Text) {
        value.withUTF8Bytes { bytes in
            guard let base = bytes.baseAddress else { return }
            // Runs of bytes that need no escape (the common case: all of them) are copied at once.
            var run = 0
            var index = Self.firstToEscape(in: bytes, from: 0)
            while index < bytes.count {
                copy(base + run, count: index - run)
                escape(bytes[index])
                run = index + 1
                index = Self.firstToEscape(in: bytes, from: run)
            }
            copy(base + run, count: bytes.count - run)
        }
    }

    /// The index of the first byte from `start` on that a JSON string escapes, or `bytes.count`.
    @usableFromInline static func firstToEscape(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var index = start
        // Eight bytes at a time: a word with no control character, `"` or `\` is passed whole.
        while index + 8 <= bytes.count,
            !needsEscape(UnsafeRawPointer(bytes.baseAddress!).loadUnaligned(fromByteOffset: index, as: UInt64.self))
        {
            index += 8
        }
        while index < bytes.count, !needsEscape(bytes[index]) { index += 1 }
        return index
    }

    @usableFromInline static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    /// Whether any of the word's eight bytes is a control character, `"` or `\`: the classic
    /// tests for a byte below a bound and for a byte equal to zero, with no false answers.
    @usableFromInline static func needsEscape(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highBits: UInt64 = 0x8080_8080_8080_8080
        let control = (word &- ones &* 0x20) & ~word & highBits
        let quote = word ^ (ones &* UInt64(UInt8(ascii: "\"")))
        let backslash = word ^ (ones &* UInt64(UInt8(ascii: "\\")))
        let quotes = (quote &- ones) & ~quote & highBits
        let backslashes = (backslash &- ones) & ~backslash & highBits
        return control | quotes | backslashes != 0
    }

    /// Writes `value` in decimal, as `String(value)` writes it.
    public mutating func integer(_ value: Int64) {
        if value < 0 { byte(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits = 1
        var rest = magnitude / 10
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        position += digits
        var at = position
        repeat {
            at -= 1
            at.pointee = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude % 10)
            magnitude /= 10
        } while magnitude > 0
    }

    /// Writes `seconds` since 1970 as `YYYY-MM-DDTHH:MM:SSZ` in UTC (years past 9999 or before 0
    /// get more digits or a sign).
    public mutating func rfc3339(_ seconds: Int64) {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let time = seconds - days * 86_400
        let (year, month, day) = Timestamp.civil(fromDays: days)
        if year < 0 { byte(UInt8(ascii: "-")) }  // outside RFC 3339 (years 0–9999), but never a trap
        var yearDigits = 4
        var above = abs(year) / 10_000
        while above > 0 {
            yearDigits += 1
            above /= 10
        }
        digits(abs(year), count: yearDigits)
        byte(UInt8(ascii: "-"))
        digits(month, count: 2)
        byte(UInt8(ascii: "-"))
        digits(day, count: 2)
        byte(UInt8(ascii: "T"))
        digits(time / 3600, count: 2)
        byte(UInt8(ascii: ":"))
        digits(time / 60 % 60, count: 2)
        byte(UInt8(ascii: ":"))
        digits(time % 60, count: 2)
        byte(UInt8(ascii: "Z"))
    }

    /// Writes `value`'s last `count` decimal digits, two at a time.
    private mutating func digits(_ value: Int64, count: Int) {
        var value = value
        var at = position + count
        while at - position >= 2 {
            let pair = Int(value % 100)
            value /= 100
            at -= 2
            at[0] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: pair / 10)
            at[1] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: pair % 10)
        }
        if at > position { position.pointee = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value % 10) }
        position += count
    }

    @usableFromInline mutating func copy(_ source: UnsafePointer<UInt8>, count: Int) {
        position.update(from: source, count: count)
        position += count
    }

    @usableFromInline mutating func escape(_ character: UInt8) {
        byte(UInt8(ascii: "\\"))
        switch character {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): byte(character)
        case 0x0A: byte(UInt8(ascii: "n"))
        case 0x0D: byte(UInt8(ascii: "r"))
        case 0x09: byte(UInt8(ascii: "t"))
        default:
            literal("u00")
            byte(Self.hexDigit(character >> 4))
            byte(Self.hexDigit(character & 15))
        }
    }

    @usableFromInline static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
    }
}

extension Array where Element == UInt8 {
    /// Appends what `body` writes through a cursor, at most `bound` bytes.
    public mutating func appendJSON(atMost bound: Int, _ body: (inout JSONCursor) -> Void) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Swift.max(bound, 1)) { scratch in
            var cursor = JSONCursor(at: scratch.baseAddress!)
            body(&cursor)
            append(contentsOf: UnsafeBufferPointer(start: scratch.baseAddress, count: cursor.position - scratch.baseAddress!))
        }
    }
}
