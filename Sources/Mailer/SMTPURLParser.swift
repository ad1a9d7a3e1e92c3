/// Parses SMTP URLs. Error messages never echo any part of the input,
/// because a malformed URL may have the password in an unexpected place.
enum SMTPURLParser {
    struct Parsed {
        var host: String
        var port: Int
        var security: SMTPSecurity
        var username: String?
        var password: String?
    }

    static func parse(_ url: String) throws -> Parsed {
        guard let schemeEnd = url.range(of: "://") else {
            throw SMTPConfigurationError("the URL must start with smtp:// or smtps://")
        }
        var security: SMTPSecurity
        switch url[..<schemeEnd.lowerBound].lowercased() {
        case "smtp": security = .startTLSWhenOffered
        case "smtps": security = .implicitTLS
        default: throw SMTPConfigurationError("the URL scheme must be smtp or smtps")
        }
        var rest = url[schemeEnd.upperBound...]
        if rest.contains("#") { throw SMTPConfigurationError("the URL must not have a fragment") }
        if let questionMark = rest.firstIndex(of: "?") {
            let query = rest[rest.index(after: questionMark)...]
            rest = rest[..<questionMark]
            security = try applyQuery(query, to: security)
        }
        if let at = rest.lastIndex(of: "@"), let slash = rest.firstIndex(of: "/"), slash < at {
            throw SMTPConfigurationError("'/' in the user or password must be percent-encoded")
        }
        if let slash = rest.firstIndex(of: "/") {
            guard rest[slash...] == "/" else { throw SMTPConfigurationError("the URL must not have a path") }
            rest = rest[..<slash]
        }
        var username: String?
        var password: String?
        if let at = rest.lastIndex(of: "@") {
            let userInfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
            if let colon = userInfo.firstIndex(of: ":") {
                username = try percentDecode(userInfo[..<colon])
                password = try percentDecode(userInfo[userInfo.index(after: colon)...])
            } else {
                username = try percentDecode(userInfo)
            }
            if username?.isEmpty ?? true { throw SMTPConfigurationError("the URL's user is empty") }
        }
        let (host, portText) = try splitHostPort(rest)
        let port: Int
        if let portText {
            guard !portText.isEmpty, portText.count <= 5, portText.allSatisfy({ ("0"..."9").contains($0) }),
                  let number = Int(portText), (1...65535).contains(number)
            else { throw SMTPConfigurationError("the port must be a number from 1 to 65535") }
            port = number
        } else {
            port = security == .implicitTLS ? 465 : 587
        }
        return Parsed(host: host, port: port, security: security, username: username, password: password)
    }

    private static func applyQuery(_ query: Substring, to security: SMTPSecurity) throws -> SMTPSecurity {
        guard !query.isEmpty else { return security }
        guard query == "starttls=required" else {
            throw SMTPConfigurationError("the only supported query is starttls=required")
        }
        guard security == .startTLSWhenOffered else {
            throw SMTPConfigurationError("starttls=required is only valid with smtp://")
        }
        return .startTLSRequired
    }

    private static func splitHostPort(_ text: Substring) throws -> (String, Substring?) {
        var host: Substring
        var port: Substring?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else {
                throw SMTPConfigurationError("the URL has an unterminated IPv6 address")
            }
            host = text[text.index(after: text.startIndex)..<close]
            let after = text[text.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw SMTPConfigurationError("unexpected text after the host") }
                port = after.dropFirst()
            }
            guard !host.isEmpty, host.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else {
                throw SMTPConfigurationError("the host is not a valid IPv6 address")
            }
        } else if let colon = text.firstIndex(of: ":") {
            host = text[..<colon]
            port = text[text.index(after: colon)...]
        } else {
            host = text
        }
        guard !host.isEmpty else { throw SMTPConfigurationError("the URL has no host") }
        guard host.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-._:".contains($0)) }) else {
            throw SMTPConfigurationError("the host contains invalid characters")
        }
        return (String(host), port)
    }

    /// Decodes `%XX` escapes; throws on an invalid escape or invalid UTF-8.
    static func percentDecode(_ text: Substring) throws -> String {
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else { bytes.append(byte); continue }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                throw SMTPConfigurationError("the URL has an invalid percent-encoding")
            }
            bytes.append(high << 4 | low)
        }
        guard let decoded = String(validating: bytes, as: UTF8.self) else {
            throw SMTPConfigurationError("the URL's user or password is not valid UTF-8")
        }
        return decoded
    }

    /// Percent-encodes everything except unreserved characters.
    static func percentEncode(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            let scalar = Unicode.Scalar(byte)
            if byte < 0x80, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "-._~".unicodeScalars.contains(scalar) {
                result.unicodeScalars.append(scalar)
            } else {
                let hex = Array("0123456789ABCDEF")
                result += "%\(hex[Int(byte >> 4)])\(hex[Int(byte & 0xF)])"
            }
        }
        return result
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
