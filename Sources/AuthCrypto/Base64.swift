/// Strict base64 in the two alphabets of RFC 4648: `url` (§5, JOSE) and `standard` (§4, PHC strings).
///
/// Decoding rejects characters outside the alphabet, impossible lengths and non-zero
/// padding bits, so each byte string has exactly one accepted encoding.
public enum Base64 {
    public enum Alphabet: Sendable {
        case standard, url

        var characters: [UInt8] { self == .url ? Base64.urlCharacters : Base64.standardCharacters }
    }

    static let standardCharacters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    static let urlCharacters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    static let standardTable = decodingTable(.standard)
    static let urlTable = decodingTable(.url)

    static func decodingTable(_ alphabet: Alphabet) -> [UInt8] {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, character) in alphabet.characters.enumerated() { table[Int(character)] = UInt8(index) }
        return table
    }

    /// The encoding of `bytes`; `padding` appends `=` to a multiple of four characters.
    public static func encode(_ bytes: some Collection<UInt8>, alphabet: Alphabet = .url, padding: Bool = false) -> String {
        var out: [UInt8] = []
        encode(bytes, into: &out, alphabet: alphabet, padding: padding)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the encoding of `bytes` to `out`.
    public static func encode(
        _ bytes: some Collection<UInt8>, into out: inout [UInt8], alphabet: Alphabet = .url, padding: Bool = false
    ) {
        let input = Array(bytes)
        let chars = alphabet.characters
        out.reserveCapacity(out.count + (input.count + 2) / 3 * 4)
        var index = 0
        while index + 3 <= input.count {
            let n = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8 | UInt32(input[index + 2])
            out.append(chars[Int(n >> 18 & 63)])
            out.append(chars[Int(n >> 12 & 63)])
            out.append(chars[Int(n >> 6 & 63)])
            out.append(chars[Int(n & 63)])
            index += 3
        }
        let rest = input.count - index
        guard rest > 0 else { return }
        let n = UInt32(input[index]) << 16 | (rest == 2 ? UInt32(input[index + 1]) << 8 : 0)
        out.append(chars[Int(n >> 18 & 63)])
        out.append(chars[Int(n >> 12 & 63)])
        if rest == 2 { out.append(chars[Int(n >> 6 & 63)]) }
        if padding { out += Array(repeating: UInt8(ascii: "="), count: 3 - rest) }
    }

    /// The bytes of an unpadded encoding, or nil when it is not canonical base64 of `alphabet`.
    public static func decode(_ text: some StringProtocol, alphabet: Alphabet = .url) -> [UInt8]? {
        var text = String(text)
        return text.withUTF8 { decode(utf8: UnsafeRawBufferPointer($0), alphabet: alphabet) }
    }

    /// Decodes unpadded base64 from raw UTF-8 bytes.
    public static func decode(utf8 input: UnsafeRawBufferPointer, alphabet: Alphabet = .url) -> [UInt8]? {
        let table = alphabet == .url ? urlTable : standardTable
        let count = input.count
        if count % 4 == 1 { return nil }
        var out = [UInt8]()
        out.reserveCapacity(count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for byte in input {
            let value = table[Int(byte)]
            if value == 0xFF { return nil }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        // Leftover bits must be zero, or two encodings would decode to the same bytes.
        if bits > 0 && accumulator & ((1 << UInt32(bits)) - 1) != 0 { return nil }
        return out
    }
}

extension Base64 {
    /// Decodes base64 as other systems write it: with or without `=` padding.
    public static func decodeLenient(_ text: String, alphabet: Alphabet) -> [UInt8]? {
        var body = Substring(text)
        while body.hasSuffix("=") { body = body.dropLast() }
        guard text.count - body.count <= 2 else { return nil }
        return decode(body, alphabet: alphabet)
    }
}
