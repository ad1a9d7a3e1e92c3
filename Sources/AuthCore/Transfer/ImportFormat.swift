import Foundation

/// The file formats `authctl import` reads.
public enum ImportFormat: String, Sendable, CaseIterable {
    /// This service's export as JSON Lines.
    case jsonl
    /// This service's export as CSV with a header row.
    case csv

    /// The format of `text`, judged from its first line; nil when it is none we know.
    public static func detect(_ text: String) -> ImportFormat? {
        let firstLine = text.drop(while: \.isWhitespace).prefix { !$0.isNewline }
        if firstLine.hasPrefix("{") { return .jsonl }
        let header = firstLine.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        if header.contains("email") && header.contains("password_hash") { return .csv }
        return nil
    }

    /// The records of `text` by line, each validated or with the reason it is bad.
    public func read(_ text: String, now: Int64) -> [(line: Int, result: Result<TransferRecord, TransferError>)] {
        switch self {
        case .jsonl: return Self.readJSONLines(text, now: now)
        case .csv: return Self.readCSV(text, now: now)
        }
    }

    static func readJSONLines(_ text: String, now: Int64) -> [(line: Int, result: Result<TransferRecord, TransferError>)] {
        var out: [(Int, Result<TransferRecord, TransferError>)] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.allSatisfy(\.isWhitespace) { continue }
            guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else {
                out.append((index + 1, .failure(TransferError("not a JSON object"))))
                continue
            }
            if let wrong = TransferRecord.fields.first(where: { object[$0] != nil && !(object[$0] is String) }) {
                out.append((index + 1, .failure(TransferError("\(wrong) must be a string"))))
                continue
            }
            out.append((index + 1, TransferRecord.validate(
                id: object["id"] as? String, email: object["email"] as? String, status: object["status"] as? String,
                createdAt: object["created_at"] as? String, passwordHash: object["password_hash"] as? String, now: now)))
        }
        return out
    }

    static func readCSV(_ text: String, now: Int64) -> [(line: Int, result: Result<TransferRecord, TransferError>)] {
        let rows = CSV.parse(text)
        guard let header = rows.first?.fields?.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) else {
            return [(1, .failure(TransferError("no header row")))]
        }
        let column = Dictionary(header.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        guard column["email"] != nil, column["password_hash"] != nil, column["id"] != nil else {
            return [(1, .failure(TransferError("the header must name id, email and password_hash")))]
        }
        return rows.dropFirst().map { row in
            guard let fields = row.fields else { return (row.line, .failure(TransferError("unterminated quoted field"))) }
            guard fields.count == header.count else {
                return (row.line, .failure(TransferError("\(fields.count) fields where the header has \(header.count)")))
            }
            func value(_ name: String) -> String? { column[name].map { fields[$0] } }
            return (row.line, TransferRecord.validate(
                id: value("id"), email: value("email"), status: value("status"), createdAt: value("created_at"),
                passwordHash: value("password_hash"), now: now))
        }
    }
}
