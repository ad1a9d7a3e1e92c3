import NIOCore
import NIOSSL

/// One SMTP transaction over an open connection (RFC 5321), from the greeting to QUIT.
struct SMTPSession {
    /// The content and envelope to deliver.
    struct Envelope {
        var from: String
        var recipients: [String]
        var content: [UInt8]
    }

    let channel: any Channel
    let server: SMTPServer
    let localName: String
    private var replies: NIOAsyncChannelInboundStream<SMTPReply>.AsyncIterator
    private let writer: NIOAsyncChannelOutboundWriter<ByteBuffer>
    /// The step in progress, for error reports.
    private(set) var step: SMTPStep = .greeting

    init(channel: any Channel, inbound: NIOAsyncChannelInboundStream<SMTPReply>,
         outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>, server: SMTPServer, localName: String) {
        self.channel = channel
        self.server = server
        self.localName = localName
        self.replies = inbound.makeAsyncIterator()
        self.writer = outbound
    }

    /// Runs the whole transaction; returns after the server accepted the content with 250.
    mutating func deliver(_ envelope: Envelope) async throws {
        step = .greeting
        try Self.require(try await readReply(), codes: [220], step: step)
        var extensions = try await hello()
        var isEncrypted = server.security == .implicitTLS
        if !isEncrypted, extensions["STARTTLS"] != nil {
            try await startTLS()
            isEncrypted = true
            extensions = try await hello()
        } else if !isEncrypted, server.security == .startTLSRequired {
            throw SMTPError(.permanent, step: .startTLS, message: "STARTTLS is required but the server does not offer it")
        }
        if let username = server.username, let password = server.password {
            guard isEncrypted || LoopbackAddress.isLoopback(channel.remoteAddress) else {
                throw SMTPError(.permanent, step: .auth,
                                message: "refusing to send credentials without TLS to a non-loopback server")
            }
            try await authenticate(username: username, password: password, mechanisms: extensions["AUTH"] ?? [])
        }
        try await command("MAIL FROM:<\(envelope.from)>", step: .mailFrom, expect: [250])
        for recipient in envelope.recipients {
            try await command("RCPT TO:<\(recipient)>", step: .rcptTo, expect: [250, 251])
        }
        try await command("DATA", step: .data, expect: [354])
        step = .messageContent
        try await write(ByteBuffer(bytes: DotStuffing.encode(envelope.content)))
        try Self.require(try await readReply(), codes: [250], step: step)
        await quit()
    }

    /// Sends EHLO, falling back to HELO on a 5xx reply; returns the offered extensions.
    private mutating func hello() async throws -> [String: [String]] {
        let reply = try await command("EHLO \(localName)", step: .ehlo, expect: Set(500...599).union([250]))
        if reply.code == 250 { return reply.extensions }
        try await command("HELO \(localName)", step: .helo, expect: [250])
        return [:]
    }

    /// Upgrades the connection with STARTTLS and the TLS handshake.
    private mutating func startTLS() async throws {
        let reply = try await command("STARTTLS", step: .startTLS, expect: [220])
        guard !reply.followedByData else {
            throw SMTPError(.transient, step: .startTLS, message: "server sent data after its STARTTLS reply")
        }
        step = .tls
        let context = try await TLSSetup.makeContext(extraCAFile: server.extraCAFile)
        let channel = self.channel
        let host = server.host
        try await channel.eventLoop.submit {
            try TLSSetup.addHandler(to: channel, context: context, host: host)
        }.get()
    }

    /// Sends QUIT and waits briefly for the reply; failures are ignored because the
    /// message was already accepted.
    private mutating func quit() async {
        let channel = self.channel
        let closer = channel.eventLoop.scheduleTask(in: .seconds(2)) { channel.close(promise: nil) }
        defer { closer.cancel() }
        try? await send("QUIT")
        _ = try? await replies.next()
    }

    /// Sends one command line and returns the reply, which must have one of `expect` codes.
    @discardableResult
    mutating func command(_ line: String, step: SMTPStep, expect: Set<Int>) async throws -> SMTPReply {
        self.step = step
        try await send(line)
        let reply = try await readReply()
        try Self.require(reply, codes: expect, step: step)
        return reply
    }

    private mutating func send(_ line: String) async throws {
        try await write(ByteBuffer(string: line + "\r\n"))
    }

    /// Writes bytes; when that fails because the pipeline failed (for example the TLS
    /// handshake), the root cause waiting in the inbound stream is thrown instead.
    private mutating func write(_ buffer: ByteBuffer) async throws {
        do {
            try await writer.write(buffer)
        } catch {
            _ = try await replies.next()
            throw error
        }
    }

    private mutating func readReply() async throws -> SMTPReply {
        guard let reply = try await replies.next() else {
            throw SMTPErrorClassifier.ConnectionClosed()
        }
        return reply
    }

    /// Throws an error classified by the reply code unless the code is expected.
    private static func require(_ reply: SMTPReply, codes: Set<Int>, step: SMTPStep) throws {
        guard !codes.contains(reply.code) else { return }
        let kind: SMTPError.Kind = reply.code >= 500 ? .permanent : .transient
        throw SMTPError(kind, step: step, replyCode: reply.code, message: "server replied \(reply.summary)")
    }
}
