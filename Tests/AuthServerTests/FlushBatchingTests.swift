import NIOCore
import NIOEmbedded
import Testing

@testable import ServerSupport

/// A response's bytes reach the socket once the loop has run what it had queued, and a close
/// never drops them.
@Suite struct FlushBatchingTests {
    @Test func aFlushWaitsForTheLoopsQueuedTasks() throws {
        let channel = EmbeddedChannel(handler: FlushBatching())
        channel.writeAndFlush(ByteBuffer(string: "response"), promise: nil)
        #expect(try channel.readOutbound(as: ByteBuffer.self) == nil)
        channel.embeddedEventLoop.run()
        #expect(try channel.readOutbound(as: ByteBuffer.self) == ByteBuffer(string: "response"))
        #expect(try channel.finish().isClean)
    }

    @Test func aCloseRightAfterTheFlushStillSendsTheResponse() throws {
        let channel = EmbeddedChannel(handler: FlushBatching())
        channel.writeAndFlush(ByteBuffer(string: "last response"), promise: nil)
        channel.close(promise: nil)
        #expect(try channel.readOutbound(as: ByteBuffer.self) == ByteBuffer(string: "last response"))
    }

    @Test func removingTheHandlerSendsWhatItHeld() throws {
        let handler = FlushBatching()
        let channel = EmbeddedChannel(handler: handler)
        channel.writeAndFlush(ByteBuffer(string: "held"), promise: nil)
        channel.pipeline.syncOperations.removeHandler(handler, promise: nil)
        #expect(try channel.readOutbound(as: ByteBuffer.self) == ByteBuffer(string: "held"))
        #expect(try channel.finish().isClean)
    }
}
