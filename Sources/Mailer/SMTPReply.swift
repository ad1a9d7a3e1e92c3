/// One complete (possibly multi-line) SMTP server reply.
struct SMTPReply: Sendable, Equatable {
    /// The three-digit reply code.
    var code: Int
    /// The text of each line, without the code and separator.
    var lines: [String]
    /// Whether more bytes had already arrived after this reply when it was decoded.
    var followedByData: Bool = false

    /// The reply's code and text as one line, for error messages.
    var summary: String {
        "\(code) " + lines.joined(separator: " ")
    }

    /// The extension keywords (upper-cased) of an EHLO reply, mapped to their parameters.
    var extensions: [String: [String]] {
        var result: [String: [String]] = [:]
        for line in lines.dropFirst() {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "=" }).map(String.init)
            guard let keyword = words.first?.uppercased() else { continue }
            result[keyword, default: []] += words.dropFirst().map { $0.uppercased() }
        }
        return result
    }
}
