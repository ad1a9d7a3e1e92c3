import HTTPTypes
import Hummingbird
import HummingbirdCore
import NIOCore
import NIOHTTP1
import NIOHTTPTypes

/// Request headers over 16 KiB in all are refused with 431 and the JSON error body.
///
/// The HTTP decoder enforces the limit while parsing, so oversized headers are never
/// buffered; `ParserErrorHandler` turns the decoder's errors, which the framework would
/// answer with a bare 400, into JSON errors: 431 for the overflow, 400 for the rest.
public enum HeaderLimit {
    public static let maximumBytes = 16 * 1024

    /// The HTTP/1.1 server of both services, with the header limit in place.
    public static var server: HTTPServerBuilder {
        .http1(
            configuration: .init(
                additionalChannelHandlers: [ParserErrorHandler(), FlushBatching()],
                // A connection that sends nothing for this long is closed: slow or stalled
                // clients can't hold sockets open for ever.
                idleTimeout: .seconds(30),
                httpDecoderConfiguration: .init(
                    maxHeaderFieldSize: maximumBytes, maxHeaderListSize: maximumBytes, maxHeaderFieldCount: 200)))
    }
}

/// Answers a request the HTTP decoder can't parse with a JSON error, then closes the connection.
final class ParserErrorHandler: ChannelInboundHandler, RemovableChannelHandler, Sendable {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundOut = HTTPResponsePart

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let error = error as? HTTPParserError else {
            context.fireErrorCaught(error)
            return
        }
        let response =
            error == .headerOverflow
            ? APIError(
                .requestHeaderFieldsTooLarge, code: "request_header_fields_too_large",
                message: "The request headers exceed \(HeaderLimit.maximumBytes / 1024) KiB.")
            : APIError.invalidRequest("The request is not valid HTTP/1.1.")
        let body = response.jsonBody
        var head = HTTPResponse(status: response.status)
        head.headerFields[.contentType] = "application/json"
        head.headerFields[.contentLength] = String(body.readableBytes)
        head.headerFields[.connection] = "close"
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(body)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in context.close(promise: nil) }
    }
}
