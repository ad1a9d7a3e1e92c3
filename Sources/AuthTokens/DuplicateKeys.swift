/// Finds objects that name a member twice. JSON parsers disagree on which value wins
/// (RFC 8259 §4), so a token or request with duplicates could mean one thing to us and
/// another to the next reader; RFC 7515 §4 lets a JWS parser reject them, and we do.
public enum DuplicateKeys {
    /// Whether an object in the JSON text `bytes` repeats a member name (escapes resolved, so
    /// `"\u0061lg"` and `"alg"` are the same name). Other faults are left to the caller's decoder.
    public static func present(in bytes: some Collection<UInt8>) -> Bool {
        do {
            _ = try JSONValue.parse(bytes)
            return false
        } catch {
            return error == .duplicateMember
        }
    }
}
