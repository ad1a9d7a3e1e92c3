/// Times (whole seconds since 1970, UTC) as RFC 3339 text (`2026-11-28T12:00:00Z`) and back,
/// by calendar arithmetic rather than a date formatter: exports and imports format and parse one per account.
public enum Timestamp {
    /// `seconds` as `YYYY-MM-DDTHH:MM:SSZ` (years past 9999 or before 0 get more digits or a sign).
    public static func rfc3339(_ seconds: Int64) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(20)
        appendRFC3339(seconds, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `seconds` as `rfc3339` writes it to `out`.
    public static func appendRFC3339(_ seconds: Int64, to out: inout [UInt8]) {
        out.appendJSON(atMost: JSONCursor.timeBound) { $0.rfc3339(seconds) }
    }

    /// Whole seconds of an RFC 3339 time (`2026-11-28T12:00:00Z`; a fraction, an offset
    /// `+02:00`, a lowercase `t`/`z` allowed; years 0001–9999). With `naiveAsUTC`, a time
    /// without an offset (as Django and PostgreSQL may write) is taken as UTC.
    public static func parse(_ text: String, naiveAsUTC: Bool = false) -> Int64? {
        var reader = FixedReader(bytes: Array(text.utf8))
        guard let year = reader.number(4), year >= 1, reader.skip("-"), let month = reader.number(2), (1...12).contains(month),
            reader.skip("-"), let day = reader.number(2), day >= 1, day <= daysIn(month: month, year: year),
            reader.skip("T") || reader.skip("t"), let hour = reader.number(2), hour < 24, reader.skip(":"),
            let minute = reader.number(2), minute < 60, reader.skip(":"), let second = reader.number(2), second < 60
        else { return nil }
        if reader.skip(".") {
            guard reader.digits() > 0 else { return nil }  // a fraction: whole seconds are kept
        }
        var offset: Int64
        if reader.skip("Z") || reader.skip("z") {
            offset = 0
        } else if let sign: Int64 = reader.skip("+") ? 1 : reader.skip("-") ? -1 : nil {
            guard let hours = reader.number(2), hours < 24, reader.skip(":"), let minutes = reader.number(2), minutes < 60
            else { return nil }
            offset = sign * (hours * 3600 + minutes * 60)
        } else {
            guard naiveAsUTC else { return nil }
            offset = 0
        }
        guard reader.atEnd else { return nil }
        return days(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second - offset
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
    static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date of a day count since 1970-01-01 (`civil_from_days`).
    static func civil(fromDays count: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = count + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shifted = (5 * dayOfYear + 2) / 153
        let month = shifted < 10 ? shifted + 3 : shifted - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, dayOfYear - (153 * shifted + 2) / 5 + 1)
    }

    static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

/// Reads fixed-width fields from ASCII bytes, left to right.
private struct FixedReader {
    let bytes: [UInt8]
    var index = 0

    var atEnd: Bool { index == bytes.count }

    /// Consumes `character` when it comes next.
    mutating func skip(_ character: Unicode.Scalar) -> Bool {
        guard index < bytes.count, bytes[index] == UInt8(character.value) else { return false }
        index += 1
        return true
    }

    /// A number of exactly `count` ASCII digits.
    mutating func number(_ count: Int) -> Int64? {
        guard index + count <= bytes.count else { return nil }
        var value: Int64 = 0
        for byte in bytes[index..<(index + count)] {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            value = value * 10 + Int64(byte - UInt8(ascii: "0"))
        }
        index += count
        return value
    }

    /// Consumes a run of digits; how many.
    mutating func digits() -> Int {
        let start = index
        while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
        return index - start
    }
}
