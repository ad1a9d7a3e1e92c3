import Foundation

/// Finds objects that name a member twice. JSON parsers disagree on which value wins
/// (RFC 8259 §4), so a token or request with duplicates could mean one thing to us and
/// another to the next reader; RFC 7515 §4 lets a JWS parser reject them, and we do.
public enum DuplicateKeys {
    /// Whether any object in the JSON text `bytes` repeats a member name. Assumes otherwise
    /// well-formed JSON (the caller's decoder checks that).
    public static func present(in bytes: some Collection<UInt8>) -> Bool {
        var stack: [(keys: Set<String>, expectingKey: Bool)?] = []  // nil entries are arrays
        var iterator = Array(bytes).makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "{"): stack.append((keys: [], expectingKey: true))
            case UInt8(ascii: "["): stack.append(nil)
            case UInt8(ascii: "}"), UInt8(ascii: "]"): _ = stack.popLast()
            case UInt8(ascii: ","):
                if let last = stack.last, var object = last {
                    object.expectingKey = true
                    stack[stack.count - 1] = object
                }
            case UInt8(ascii: "\""):
                let raw = readString(&iterator)
                guard let last = stack.last, var object = last, object.expectingKey else { continue }
                let key = decodeKey(raw)
                if object.keys.contains(key) { return true }
                object.keys.insert(key)
                object.expectingKey = false
                stack[stack.count - 1] = object
            default: continue
            }
        }
        return false
    }

    /// The raw bytes of a string literal whose opening quote was just read.
    private static func readString(_ iterator: inout IndexingIterator<[UInt8]>) -> [UInt8] {
        var raw: [UInt8] = []
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "\"") { break }
            raw.append(byte)
            if byte == UInt8(ascii: "\\"), let escaped = iterator.next() { raw.append(escaped) }
        }
        return raw
    }

    /// The key's text with escapes resolved, so `"\u0061lg"` and `"alg"` count as the same name.
    private static func decodeKey(_ raw: [UInt8]) -> String {
        guard raw.contains(UInt8(ascii: "\\")) else { return String(decoding: raw, as: UTF8.self) }
        let literal = Data([UInt8(ascii: "\"")] + raw + [UInt8(ascii: "\"")])
        return (try? JSONDecoder().decode(String.self, from: literal)) ?? String(decoding: raw, as: UTF8.self)
    }
}
