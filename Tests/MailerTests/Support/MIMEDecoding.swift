import Foundation

/// Minimal decoders used to check what the library encoded.
enum MIMEDecoding {
    /// Decodes quoted-printable text (soft line breaks and =XX escapes).
    static func quotedPrintable(_ text: String) -> String {
        var bytes: [UInt8] = []
        let input = Array(text.replacingOccurrences(of: "=\r\n", with: "").utf8)
        var index = 0
        while index < input.count {
            if input[index] == UInt8(ascii: "="), index + 2 < input.count,
               let value = UInt8(String(decoding: input[index + 1...index + 2], as: UTF8.self), radix: 16) {
                bytes.append(value)
                index += 3
            } else {
                bytes.append(input[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Decodes a header value made of `=?utf-8?B?...?=` words separated by folding.
    static func encodedWords(_ value: String) -> String {
        var bytes = Data()
        for word in value.components(separatedBy: "\r\n ") {
            guard word.hasPrefix("=?utf-8?B?"), word.hasSuffix("?=") else { return value }
            bytes += Data(base64Encoded: String(word.dropFirst(10).dropLast(2))) ?? Data()
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Splits a rendered message into its header block and body at the first blank line.
    static func split(_ message: String) -> (headers: String, body: String) {
        guard let range = message.range(of: "\r\n\r\n") else { return (message, "") }
        return (String(message[..<range.lowerBound]), String(message[range.upperBound...]))
    }

    /// The unfolded value of the first header `name`.
    static func header(_ name: String, in headers: String) -> String? {
        let unfolded = headers.replacingOccurrences(of: "\r\n ", with: " ")
        return unfolded.components(separatedBy: "\r\n")
            .first { $0.lowercased().hasPrefix(name.lowercased() + ": ") }
            .map { String($0.dropFirst(name.count + 2)) }
    }
}
