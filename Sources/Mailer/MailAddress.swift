/// Validation of bare `local@domain` addresses, used for headers and the envelope.
enum MailAddress {
    /// Throws unless `address` is a plain ASCII `local@domain` without brackets,
    /// spaces, quotes or control characters, at most 254 octets long.
    static func validate(_ address: String) throws {
        let display = SMTPError.oneLine(address, limit: 80)
        guard address.utf8.count <= 254, address.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw MailMessageError("address '\(display)' must be printable ASCII without spaces, CR or LF")
        }
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[0].utf8.count <= 64, !parts[1].isEmpty else {
            throw MailMessageError("address '\(display)' must have the form local@domain")
        }
        guard parts[0].allSatisfy({ !"<>()[]\\,;:\"".contains($0) }),
              !parts[0].hasPrefix("."), !parts[0].hasSuffix("."), !parts[0].contains("..")
        else {
            throw MailMessageError("address '\(display)' has an invalid local part")
        }
        let labels = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        guard labels.allSatisfy({ label in
            !label.isEmpty && label.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" }
        }) else {
            throw MailMessageError("address '\(display)' has an invalid domain")
        }
    }

    /// The domain part of a validated address.
    static func domain(of address: String) -> Substring {
        address[address.index(after: address.lastIndex(of: "@")!)...]
    }
}
