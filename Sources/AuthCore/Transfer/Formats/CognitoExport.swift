import WireFormat

/// `aws cognito-idp list-users` output: `{"Users": [...]}` pages, concatenated (as a loop over
/// `--pagination-token` writes them) or one page or one user per line. Cognito never gives out
/// hashes: each user becomes an account awaiting lazy migration, with Cognito's `sub` as its id
/// (so data other services keyed by it stays theirs), its email, `email_verified`, `Enabled`
/// and `UserCreateDate` (ISO 8601 as the CLI prints it, or epoch seconds as the API does).
public enum CognitoExport {
    static func read(_ text: String, now: Int64) -> [ImportRow] {
        var locator = JSONLineLocator(text)
        var rows: [ImportRow] = []
        for (line, document) in documents(in: Array(text.utf8)) {
            guard let object = (try? JSONValue.parse(document))?.object else {
                rows.append((line, .failure(TransferError("not a JSON object"))))
                continue
            }
            guard case .array(let users)? = object["Users"] else {
                rows.append((line, user(object, line: line, now: now)))
                continue
            }
            for entry in users {
                guard let user = entry.object else {
                    rows.append((line, .failure(TransferError("a user is not a JSON object"))))
                    continue
                }
                let userLine = user["Username"]?.string.map { locator.line(of: JSONText.string($0)) } ?? line
                rows.append((userLine, Self.user(user, line: userLine, now: now)))
            }
        }
        return rows
    }

    /// Cognito's `[{"Name", "Value"}]` attribute list as a dictionary.
    public static func attributes(_ list: JSONValue?) -> [String: String] {
        guard case .array(let items)? = list else { return [:] }
        var attributes: [String: String] = [:]
        for item in items {
            if let name = item.object?["Name"]?.string, let value = item.object?["Value"]?.string { attributes[name] = value }
        }
        return attributes
    }

    private static func user(_ user: [String: JSONValue], line: Int, now: Int64) -> Result<TransferRecord, TransferError> {
        let attributes = Self.attributes(user["Attributes"])
        guard let sub = attributes["sub"] else { return .failure(TransferError("the user has no sub attribute")) }
        guard attributes["email"] != nil else { return .failure(TransferError("the user has no email attribute")) }
        var created: String?
        switch user["UserCreateDate"] {
        case .string(let text)?: created = text.replacingOccurrences(of: " ", with: "T")  // Python's str() of a date
        case .number(let seconds)?: created = Timestamp.rfc3339(Int64(seconds))
        default: break
        }
        let enabled = user["Enabled"].map { $0 != .bool(false) } ?? true
        return TransferRecord.validate(
            id: sub, email: attributes["email"], status: enabled ? "active" : "disabled", createdAt: created,
            passwordHash: nil, now: now, system: "cognito", emailVerified: attributes["email_verified"] == "true",
            hashOptional: true)
    }

    /// The top-level JSON values of `bytes`, each with the line it starts on: a string-aware
    /// scan for where each value's braces close.
    static func documents(in bytes: [UInt8]) -> [(line: Int, bytes: ArraySlice<UInt8>)] {
        var documents: [(Int, ArraySlice<UInt8>)] = []
        var depth = 0, inString = false, escaped = false, line = 1, start = 0, startLine = 1
        for (index, byte) in bytes.enumerated() {
            if byte == 0x0A { line += 1 }
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                if depth == 0 { (start, startLine) = (index, line) }
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 { documents.append((startLine, bytes[start...index])) }
                if depth < 0 { return documents + [(line, bytes[index...])] }  // unbalanced: let the parser say so
            case 0x20, 0x09, 0x0A, 0x0D: break
            default:
                if depth == 0 { return documents + [(line, bytes[index...])] }
            }
        }
        if depth > 0 { documents.append((startLine, bytes[start...])) }
        return documents
    }
}
