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
        ("\"\"\\", #""\"\"\\""#),
        ("end\n", #""end\n""#),
    ])
    func escapesOnlyWhatJSONRequires(value: String, written: String) throws {
        #expect(JSONText.string(value) == written)
        #expect(try JSONValue.parse(Array(written.utf8)) == .string(value))
    }

    @Test func aStringThatIsASliceOfALongerOneIsWrittenAlone() {
        let long = "prefix \"quoted\" suffix"
        let slice = String(long.dropFirst(7).dropLast(7))
        #expect(JSONText.string(slice) == #""\"quoted\"""#)
    }
}
