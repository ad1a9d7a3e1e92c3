import Foundation

/// RFC 2047 encoded-words for header text such as the Subject.
enum EncodedWord {
    /// Returns `text` unchanged when it is short printable ASCII without `=?`,
    /// otherwise as `=?utf-8?B?...?=` words of at most 75 characters, folded with CRLF SP.
    static func encodeIfNeeded(_ text: String) -> String {
        let isPlain = text.utf8.count <= 900
            && text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
            && !text.contains("=?")
        guard !isPlain else { return text }
        // 45 bytes become 60 base64 characters; with "=?utf-8?B?" and "?=" that is 72.
        let maxChunk = 45
        var words: [String] = []
        var chunk: [UInt8] = []
        for scalar in text.unicodeScalars {
            let bytes = Array(String(scalar).utf8)
            if chunk.count + bytes.count > maxChunk {
                words.append(word(chunk))
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty || words.isEmpty { words.append(word(chunk)) }
        return words.joined(separator: "\r\n ")
    }

    private static func word(_ bytes: [UInt8]) -> String {
        "=?utf-8?B?" + Data(bytes).base64EncodedString() + "?="
    }
}
