/// Quoted-printable encoding (RFC 2045 §6.7) for text bodies.
enum QuotedPrintable {
    /// Encodes UTF-8 text; line breaks (CRLF, LF or CR) become CRLF and encoded
    /// lines are at most 76 characters, using soft line breaks.
    static func encode(_ text: String) -> String {
        var output = ""
        let lines = normalizeLineBreaks(text).split(separator: "\n", omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated() {
            if index > 0 { output += "\r\n" }
            output += encodeLine(Array(line.utf8))
        }
        return output
    }

    private static func encodeLine(_ bytes: [UInt8]) -> String {
        var output = ""
        var lineLength = 0
        for (index, byte) in bytes.enumerated() {
            let isLast = index == bytes.count - 1
            let literal = (byte >= 33 && byte <= 126 && byte != UInt8(ascii: "="))
                || ((byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")) && !isLast)
            let token = literal ? String(UnicodeScalar(byte)) : escape(byte)
            // Keep room for the soft break "=" unless this token ends the line.
            let limit = isLast ? 76 : 75
            if lineLength + token.count > limit {
                output += "=\r\n"
                lineLength = 0
            }
            output += token
            lineLength += token.count
        }
        return output
    }

    private static func escape(_ byte: UInt8) -> String {
        let hex = Array("0123456789ABCDEF")
        return "=\(hex[Int(byte >> 4)])\(hex[Int(byte & 0x0F)])"
    }

    /// Replaces CRLF and bare CR line breaks with LF.
    static func normalizeLineBreaks(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            defer { previousWasCR = scalar == "\r" }
            if scalar == "\n" && previousWasCR { continue }
            result.append(scalar == "\r" ? "\n" : scalar)
        }
        return String(result)
    }
}
