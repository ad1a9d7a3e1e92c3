/// RFC 4180 CSV: quoting on the way out, and a parser that keeps each record's first line number.
public enum CSV {
    /// `field`, quoted when it holds a comma, quote or line break.
    public static func quote(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// The records of `text` with the line each starts on; nil for a record with an unterminated quote.
    public static func parse(_ text: String) -> [(line: Int, fields: [String]?)] {
        var records: [(Int, [String]?)] = []
        var fields: [String] = []
        var field = ""
        var quoted = false, wasQuoted = false
        var line = 1, recordLine = 1
        var characters = text.makeIterator()
        var pending: Character? = nil
        func next() -> Character? {
            if let p = pending { pending = nil; return p }
            return characters.next()
        }
        while let character = next() {
            if quoted {
                if character == "\"" {
                    if let following = next() {
                        if following == "\"" { field.append("\"") } else { quoted = false; pending = following }
                    } else {
                        quoted = false
                    }
                } else {
                    if character == "\n" || character == "\r\n" { line += 1 }
                    field.append(character)
                }
                continue
            }
            switch character {
            case "\"" where field.isEmpty && !wasQuoted:
                quoted = true
                wasQuoted = true
            case ",":
                fields.append(field)
                field = ""
                wasQuoted = false
            case "\n", "\r\n", "\r":
                fields.append(field)
                if !(fields.count == 1 && fields[0].isEmpty && !wasQuoted) { records.append((recordLine, fields)) }
                fields = []
                field = ""
                wasQuoted = false
                line += 1
                recordLine = line
            default:
                field.append(character)
            }
        }
        if quoted {
            records.append((recordLine, nil))
        } else if !field.isEmpty || !fields.isEmpty || wasQuoted {
            fields.append(field)
            records.append((recordLine, fields))
        }
        return records
    }
}
