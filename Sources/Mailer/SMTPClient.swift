import NIOCore
import NIOPosix
import NIOSSL

/// Delivers mail to one SMTP server over SwiftNIO.
///
/// `send` returns only after the server answered 250 to the end of DATA, which means
/// the server has taken responsibility for delivering the message. Every failure is
/// thrown as `SMTPError`; the connection is always closed before `send` returns.
public struct SMTPClient: Sendable {
    /// The server and its settings.
    public let server: SMTPServer
    /// The name sent with EHLO/HELO.
    public let localName: String
    private let group: any EventLoopGroup

    /// Creates a client; `localName` is the name this host announces in EHLO.
    public init(
        server: SMTPServer,
        localName: String = "localhost",
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.server = server
        self.localName = localName
        self.group = eventLoopGroup
    }

    /// Sends a composed message to its `to` recipients, with `from` as envelope sender.
    public func send(_ message: MailMessage) async throws {
        try await send(message.render(), from: message.from, to: message.to)
    }

    /// Sends raw RFC 5322 content (line endings are normalized to CRLF and lines are
    /// dot-stuffed) with the given envelope sender and recipients (bare addresses).
    public func send(_ content: [UInt8], from: String, to recipients: [String]) async throws {
        do {
            try MailAddress.validate(from)
            guard !recipients.isEmpty else { throw MailMessageError("a message needs at least one recipient") }
            for recipient in recipients { try MailAddress.validate(recipient) }
        } catch let error as MailMessageError {
            throw SMTPError(.permanent, step: .configuration, message: error.message)
        }
        let envelope = SMTPSession.Envelope(from: from, recipients: recipients, content: content)
        let deadline = NIODeadline.now() + TimeAmount(server.timeout)
        do {
            try await deliver(envelope, deadline: deadline)
        } catch {
            throw SMTPErrorClassifier.classify(error, deadline: deadline, server: server)
        }
    }

    private func deliver(_ envelope: SMTPSession.Envelope, deadline: NIODeadline) async throws {
        let implicitTLS = server.security == .implicitTLS
            ? try await TLSSetup.makeContext(extraCAFile: server.extraCAFile) : nil
        let host = server.host
        let channel = try await ClientBootstrap(group: group)
            .connectTimeout(deadline - .now())
            .connect(host: host, port: server.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let implicitTLS {
                        try TLSSetup.addHandler(to: channel, context: implicitTLS, host: host)
                    }
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(SMTPReplyDecoder()))
                    return try NIOAsyncChannel<SMTPReply, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        let raw = channel.channel
        let timer = raw.eventLoop.scheduleTask(deadline: deadline) { raw.close(promise: nil) }
        defer { timer.cancel() }
        try await channel.executeThenClose { inbound, outbound in
            var session = SMTPSession(channel: raw, inbound: inbound, outbound: outbound,
                                      server: server, localName: localName)
            do {
                try await session.deliver(envelope)
            } catch let error as SMTPError {
                throw error
            } catch {
                throw SMTPErrorClassifier.StepFailure(step: session.step, underlying: error)
            }
        }
    }
}
