import NIOCore

/// Decodes bytes from an SMTP server into `SMTPReply` values, bounding line length
/// and line count so a hostile server cannot exhaust memory.
struct SMTPReplyDecoder: ByteToMessageDecoder {
    typealias InboundOut = SMTPReply

    /// A reply that violates the SMTP syntax or the size bounds.
    struct MalformedReply: Error, CustomStringConvertible {
        var description: String
    }

    static let maxLineLength = 2048
    static let maxLines = 100

    private var pending: SMTPReply?

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > Self.maxLineLength {
                throw MalformedReply(description: "reply line longer than \(Self.maxLineLength) bytes")
            }
            return .needMoreData
        }
        let length = newline - buffer.readerIndex + 1
        guard length <= Self.maxLineLength, var bytes = buffer.readBytes(length: length) else {
            throw MalformedReply(description: "reply line longer than \(Self.maxLineLength) bytes")
        }
        bytes.removeLast()
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        let (code, isLast, text) = try Self.parseLine(bytes)

        var reply = pending ?? SMTPReply(code: code, lines: [])
        guard reply.code == code else {
            throw MalformedReply(description: "multi-line reply mixes codes \(reply.code) and \(code)")
        }
        reply.lines.append(text)
        guard reply.lines.count <= Self.maxLines else {
            throw MalformedReply(description: "reply has more than \(Self.maxLines) lines")
        }
        if isLast {
            pending = nil
            reply.followedByData = buffer.readableBytes > 0
            context.fireChannelRead(wrapInboundOut(reply))
        } else {
            pending = reply
        }
        return .continue
    }

    mutating func decodeLast(
        context: ChannelHandlerContext,
        buffer: inout ByteBuffer,
        seenEOF: Bool
    ) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }

    /// Splits a line into its code, whether it is the last line, and its text.
    static func parseLine(_ bytes: [UInt8]) throws -> (code: Int, isLast: Bool, text: String) {
        let digits = bytes.prefix(3)
        guard digits.count == 3,
              digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              (UInt8(ascii: "2")...UInt8(ascii: "5")).contains(digits.first!)
        else {
            throw MalformedReply(description: "reply line does not start with a reply code")
        }
        let code = digits.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        guard bytes.count > 3 else { return (code, true, "") }
        let separator = bytes[3]
        guard separator == UInt8(ascii: " ") || separator == UInt8(ascii: "-") else {
            throw MalformedReply(description: "reply line has an invalid separator")
        }
        let text = String(decoding: bytes.dropFirst(4), as: UTF8.self)
        return (code, separator == UInt8(ascii: " "), text)
    }
}
