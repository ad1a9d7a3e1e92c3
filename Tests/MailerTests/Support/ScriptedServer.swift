import NIOCore
import NIOPosix
import Synchronization

/// A TCP server on 127.0.0.1 that sends `greeting` on connect, then answers each
/// command line with the next scripted reply (nothing once the script is used up).
/// After a reply starting with "354" it collects message lines until ".".
/// It records the command lines it received.
final class ScriptedServer: Sendable {
    private let channel: any Channel
    private let recorder = Recorder()

    var port: Int { channel.localAddress!.port! }
    var commands: [String] { recorder.lines.withLock { $0 } }

    init(greeting: String, replies: [String] = []) async throws {
        let recorder = self.recorder
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture {
                    let handler = ScriptHandler(greeting: greeting, replies: replies) { line in
                        recorder.lines.withLock { $0.append(line) }
                    }
                    try child.pipeline.syncOperations.addHandler(handler)
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
    }

    func stop() async throws {
        try await channel.close()
    }
}

private final class Recorder: Sendable {
    let lines = Mutex<[String]>([])
}

private final class ScriptHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let greeting: String
    private var replies: [String]
    private let record: (String) -> Void
    private var pending = ""
    private var inData = false

    init(greeting: String, replies: [String], record: @escaping (String) -> Void) {
        self.greeting = greeting
        self.replies = replies
        self.record = record
    }

    func channelActive(context: ChannelHandlerContext) {
        reply(greeting, context: context)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        pending += String(buffer: unwrapInboundIn(data))
        while let newline = pending.range(of: "\r\n") {
            let line = String(pending[..<newline.lowerBound])
            pending.removeSubrange(..<newline.upperBound)
            if inData {
                inData = line != "."
                if inData { continue }
            } else {
                record(line)
            }
            guard !replies.isEmpty else { continue }
            let next = replies.removeFirst()
            inData = next.hasPrefix("354")
            reply(next, context: context)
        }
    }

    private func reply(_ text: String, context: ChannelHandlerContext) {
        guard !text.isEmpty else { return }
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: text)), promise: nil)
    }
}
