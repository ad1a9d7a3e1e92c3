import Testing
import WireFormat

/// How strings are written into JSON: what needs escaping is escaped, everything else is copied
/// as its UTF-8, and the parser reads back what was written.
struct JSONTextTests {
    @Test(arguments: [
        ("", #""""#),
        ("plain ascii", #""plain ascii""#),
        ("é😀 / <x>", "\"é😀 / <x>\""),
        ("say \"hi\"", #""say \"hi\"""#),
        (#"C:\path"#, #""C:\\path""#),
        ("a\nb\rc\td", #""a\nb\rc\td""#),
        ("\u{0}\u{1}\u{1f}", #""\u0000\u0001\u001f""#),
        ("\u{8}\u{c}\u{7f}", "\"\\u0008\\u000c\u{7f}\""),
        ("\"\"\\", #""\"\"\\""#),
        ("end\n", #""end\n""#),
    ])
    func escapesOnlyWhatJSONRequires(value: String, written: String) throws {
        #expect(JSONText.string(value) == written)
        #expect(try JSONValue.parse(Array(written.utf8)) == .string(value))
    }

    /// Strings are scanned eight bytes at a time: an escape is found at any offset in a word, and
    /// bytes that need none (UTF-8's multibyte ones included) are never escaped.
    @Test(arguments: [
        ("\"", #"\""#), ("\\", #"\\"#), ("\n", #"\n"#), ("\u{1}", #"\u0001"#), ("\u{1f}", #"\u001f"#),
        ("é", "é"), ("\u{7f}", "\u{7f}"), (" ", " "), ("~", "~"), ("!", "!"), ("]", "]"),
    ])
    func findsAnEscapeAtAnyOffset(special: String, escaped: String) throws {
        for offset in 0...17 {
            let before = String(repeating: "a", count: offset)
            let after = String(repeating: "b", count: 20 - offset)
            let written = JSONText.string(before + special + after + special)
            #expect(written == "\"" + before + escaped + after + escaped + "\"", "offset \(offset)")
            #expect(try JSONValue.parse(Array(written.utf8)) == .string(before + special + after + special))
        }
    }

    @Test func writesIntegersAsStringDoes() {
        var generator = SystemRandomNumberGenerator()
        let samples: [Int64] = [0, 1, -1, 9, 10, -10, 99, 100, Int64.max, Int64.min, Int64.min + 1]
            + (0..<500).map { _ in Int64.random(in: Int64.min...Int64.max, using: &generator) }
        for value in samples {
            var out: [UInt8] = Array("x".utf8)
            JSONText.appendInteger(value, to: &out)
            #expect(String(decoding: out, as: UTF8.self) == "x" + String(value))
        }
    }
}
