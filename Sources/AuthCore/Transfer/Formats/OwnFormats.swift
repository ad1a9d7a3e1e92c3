import Foundation
import WireFormat

/// This service's own export, as JSON Lines or CSV.
enum OwnFormats {
    static func readJSONLines(_ text: String, now: Int64) -> [ImportRow] {
        JSONLinesReader.rows(text) { line, object in
            guard let object else { return (line, .failure(TransferError("not a JSON object"))) }
            let strings = TransferRecord.fields.dropLast()
            if let wrong = strings.first(where: { object[$0] != nil && object[$0]?.string == nil && object[$0] != .null }) {
                return (line, .failure(TransferError("\(wrong) must be a string")))
            }
            let verified = object["email_verified"]
            if verified != nil, verified?.boolValue == nil {
                return (line, .failure(TransferError("email_verified must be true or false")))
            }
            return (line, TransferRecord.validate(
                id: object["id"]?.string, email: object["email"]?.string, status: object["status"]?.string,
                createdAt: object["created_at"]?.string, passwordHash: object["password_hash"]?.string, now: now,
                emailVerified: verified?.boolValue ?? false, hashOptional: object["password_hash"] == .null))
        }
    }

    static func readCSV(_ text: String, now: Int64) -> [ImportRow] {
        CSVReader.rows(text, required: ["id", "email", "password_hash"]) { line, value in
            // An empty password_hash: an account awaiting lazy migration, as `export` writes it.
            guard let verified = ["true": true, "false": false, nil: false][value("email_verified")?.lowercased()] else {
                return (line, .failure(TransferError("email_verified must be true or false")))
            }
            return (line, TransferRecord.validate(
                id: value("id"), email: value("email"), status: value("status"), createdAt: value("created_at"),
                passwordHash: value("password_hash"), now: now, emailVerified: verified, hashOptional: true))
        }
    }
}

/// Newline-delimited JSON objects, each handed to `record` with its line number; nil for a
/// line that is not one (or that names a field twice, which readers would resolve differently).
/// Lines are independent, so they are parsed and checked on all cores.
enum JSONLinesReader {
    static func rows(_ text: String, _ record: @Sendable (Int, [String: JSONValue]?) -> ImportRow) -> [ImportRow] {
        var lines: [(Int, ArraySlice<UInt8>)] = []
        let bytes = Array(text.utf8)
        // Lines end at LF (CRLF too); U+2028 and friends may stand raw inside JSON strings.
        for (index, line) in bytes.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
            let content = line.last == 0x0D ? line.dropLast() : line
            if content.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            lines.append((index + 1, content))
        }
        return lines.concurrentMap { line, content in record(line, (try? JSONValue.parse(content))?.object) }
    }
}

/// CSV with a header row, read by column name.
enum CSVReader {
    static func rows(
        _ text: String, required: [String], _ record: @Sendable (Int, (String) -> String?) -> ImportRow
    ) -> [ImportRow] {
        let rows = CSV.parse(text)
        guard let header = rows.first?.fields?.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) else {
            return [(1, .failure(TransferError("no header row")))]
        }
        let column = Dictionary(header.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        if let missing = required.first(where: { column[$0] == nil }) {
            return [(1, .failure(TransferError("the header has no \(missing) column")))]
        }
        return Array(rows.dropFirst()).concurrentMap { row in
            guard let fields = row.fields else { return (row.line, .failure(TransferError("unterminated quoted field"))) }
            guard fields.count == header.count else {
                return (row.line, .failure(TransferError("\(fields.count) fields where the header has \(header.count)")))
            }
            return record(row.line) { name in column[name].map { fields[$0] }.flatMap { $0.isEmpty ? nil : $0 } }
        }
    }
}

/// JSON documents holding an array of users: finds the line each user starts on by
/// looking for its id, in order, so errors can name lines.
struct JSONLineLocator {
    private let text: String
    private var searchFrom: String.Index
    private var line = 1

    init(_ text: String) {
        self.text = text
        searchFrom = text.startIndex
    }

    /// The line of the next occurrence of `needle` (a JSON-quoted id), or the last line found.
    mutating func line(of needle: String) -> Int {
        guard let range = text.range(of: needle, range: searchFrom..<text.endIndex) else { return line }
        line += text.utf8[searchFrom..<range.lowerBound].reduce(0) { $1 == 0x0A ? $0 + 1 : $0 }
        let matchLine = line
        line += text.utf8[range.lowerBound..<range.upperBound].reduce(0) { $1 == 0x0A ? $0 + 1 : $0 }
        searchFrom = range.upperBound
        return matchLine
    }
}
