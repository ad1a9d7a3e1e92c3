/// Prepares message content for the SMTP DATA phase (RFC 5321 §4.5.2).
enum DotStuffing {
    /// Normalizes bare LF and bare CR to CRLF, doubles a leading "." on every line,
    /// and appends the terminating `CRLF.CRLF`.
    static func encode(_ content: [UInt8]) -> [UInt8] {
        let cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n"), dot = UInt8(ascii: ".")
        var output: [UInt8] = []
        output.reserveCapacity(content.count + content.count / 50 + 5)
        var atLineStart = true
        var index = 0
        while index < content.count {
            let byte = content[index]
            index += 1
            if byte == cr || byte == lf {
                if byte == cr && index < content.count && content[index] == lf { index += 1 }
                output += [cr, lf]
                atLineStart = true
                continue
            }
            if atLineStart && byte == dot { output.append(dot) }
            output.append(byte)
            atLineStart = false
        }
        if !atLineStart { output += [cr, lf] }
        output += [dot, cr, lf]
        return output
    }
}
