import WireFormat
import Foundation
import Testing

/// Stored times to RFC 3339 and back, checked against Foundation's ISO 8601 formatter.
struct TimestampTests {
    /// Foundation switches to the Julian calendar before 1582; RFC 3339 (ISO 8601) and we don't,
    /// so the two are compared from 1600 on.
    @Test func formatsAsFoundationDoes() {
        var generator = SystemRandomNumberGenerator()
        let samples: [Int64] = [0, -1, 86_399, 86_400, 951_782_400, 1_700_000_000, 4_102_444_800, -11_676_096_000, 253_402_300_799]
            + (0..<2_000).map { _ in Int64.random(in: -11_676_096_000...253_402_300_799, using: &generator) }
        for seconds in samples {
            let expected = Date(timeIntervalSince1970: TimeInterval(seconds)).formatted(.iso8601)
            #expect(Timestamp.rfc3339(seconds) == expected, "\(seconds)")
            #expect(Timestamp.parse(expected) == seconds, "\(expected)")
        }
    }

    @Test func readsFractionsOffsetsAndNaiveTimes() {
        let base = Timestamp.parse("2024-01-15T10:30:00Z")!
        #expect(Timestamp.parse("2024-01-15T10:30:00.999999Z") == base)
        #expect(Timestamp.parse("2024-01-15t10:30:00z") == base)
        #expect(Timestamp.parse("2024-01-15T12:30:00+02:00") == base)
        #expect(Timestamp.parse("2024-01-15T05:00:00-05:30") == base)
        #expect(Timestamp.parse("2024-01-15T10:30:00") == nil)
        #expect(Timestamp.parse("2024-01-15T10:30:00", naiveAsUTC: true) == base)
        #expect(Timestamp.parse("2024-02-29T00:00:00Z") != nil)
        #expect(Timestamp.parse("0001-01-01T00:00:00Z") == -62_135_596_800)  // proleptic Gregorian
        #expect(Timestamp.rfc3339(-62_135_596_800) == "0001-01-01T00:00:00Z")
        #expect(Timestamp.rfc3339(253_402_300_800) == "10000-01-01T00:00:00Z")  // past RFC 3339, without a trap
        #expect(Timestamp.rfc3339(-62_167_219_200 - 86_400) == "-0001-12-31T00:00:00Z")  // before year 0
        #expect(Timestamp.rfc3339(Int64.min / 2).hasPrefix("-"))
        #expect(!Timestamp.rfc3339(Int64.max / 2).isEmpty)
    }

    @Test(arguments: [
        "", "2024", "2024-01-15", "2024-01-15T10:30Z", "2024-13-01T00:00:00Z", "2023-02-29T00:00:00Z", "2024-04-31T00:00:00Z",
        "2024-01-15T24:00:00Z", "2024-01-15T10:60:00Z", "2024-01-15T10:30:60Z", "2024-01-15T10:30:00.Z", "2024-01-15T10:30:00+2:00",
        "2024-01-15T10:30:00+0200", "2024-01-15 10:30:00Z", "2024-01-15T10:30:00Z ", "0000-01-01T00:00:00Z", "２０２４-01-15T10:30:00Z",
    ])
    func refusesWhatIsNotRFC3339(text: String) {
        #expect(Timestamp.parse(text) == nil)
        #expect(Timestamp.parse(text, naiveAsUTC: true) == nil)
    }
}
