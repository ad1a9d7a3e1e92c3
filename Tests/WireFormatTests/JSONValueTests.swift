import WireFormat
import Testing

/// The strict JSON parser tokens (and request bodies, for duplicates) go through.
struct JSONValueTests {
    func parse(_ text: String) throws(JSONValue.ParseError) -> JSONValue { try JSONValue.parse(Array(text.utf8)) }

    @Test func readsEveryKindOfValue() throws {
        let value = try parse(#" {"s":"a\"b\\c\/d\n\u00e9\ud83d\ude00","n":-12.5e1,"i":1800000600,"t":true,"f":false,"z":null,"a":[1,[],{}]} "#)
        #expect(
            value
                == .object([
                    "s": .string("a\"b\\c/d\né😀"), "n": .number(-125), "i": .number(1_800_000_600), "t": .bool(true),
                    "f": .bool(false), "z": .null, "a": .array([.number(1), .array([]), .object([:])]),
                ]))
        #expect(try parse("\"é\"") == .string("é"))  // raw UTF-8
        #expect(try parse("0") == .number(0))
        #expect(try parse("-0.0") == .number(-0.0))
        #expect(try parse("123456789012345678901234567890") == .number(1.2345678901234568e29))  // past the integer fast path
        #expect(try parse("-999999999999999") == .number(-999_999_999_999_999))
    }

    @Test(arguments: [
        "", " ", "{", "}", "{\"a\":1,}", "[1,]", "{\"a\" 1}", "{a:1}", "{'a':1}", "01", "1.", ".5", "+1", "1e",
        "--1", "0x10", "NaN", "Infinity", "1e999", "tru", "nul", "\"abc", "\"\\x\"", "\"\\u12\"", "\"\\ud800\"",
        "\"\\udc00\"", "\"\\ud800\\u0041\"", "\"a\tb\"", "\"a\u{0}b\"", "{} {}", "1 2", "[1 2]", "{\"a\":1}x",
    ])
    func refusesWhatIsNotExactlyOneJSONText(text: String) {
        #expect(throws: JSONValue.ParseError.malformed) { try parse(text) }
    }

    @Test func refusesInvalidUTF8() {
        #expect(throws: JSONValue.ParseError.malformed) { try JSONValue.parse([0x22, 0xC3, 0x28, 0x22]) }
        #expect(throws: JSONValue.ParseError.malformed) { try JSONValue.parse([0x22, 0xED, 0xA0, 0x80, 0x22]) }  // encoded surrogate
    }

    @Test func refusesDuplicateMembersAfterUnescaping() {
        #expect(throws: JSONValue.ParseError.duplicateMember) { try parse(#"{"alg":"EdDSA","\u0061lg":"none"}"#) }
        #expect(throws: JSONValue.ParseError.duplicateMember) { try parse(#"[{"x":{"y":1,"y":2}}]"#) }
        #expect(throws: Never.self) { try parse(#"{"a":{"a":1},"b":[{"a":"a"},{"a":2}],"c":"\"a\""}"#) }
    }

    @Test func boundsNesting() throws {
        let deep = String(repeating: "[", count: JSONValue.maximumDepth) + String(repeating: "]", count: JSONValue.maximumDepth)
        _ = try parse(deep)
        #expect(throws: JSONValue.ParseError.tooDeep) { try parse("[" + deep + "]") }
        #expect(throws: JSONValue.ParseError.tooDeep) { try parse(String(repeating: "[", count: 100_000)) }
    }
}
