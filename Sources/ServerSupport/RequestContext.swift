import Foundation
import Hummingbird
import NIOCore

/// The request context of both servers: the client's address for throttling and session
/// records, and the body limit.
public struct ServerRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The client's IP address as text ("" when unknown): the peer's, or the one a trusted
    /// proxy forwarded (set by `ServerMiddleware`).
    public var clientIP: String

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        clientIP = source.channel.remoteAddress?.ipAddress ?? ""
        // The request's id as text once: Hummingbird formats it again for every line that
        // carries it and for `X-Request-Id`, a hundredth of a `/healthz`.
        if let id = logger[metadataKey: Self.requestIDKey] {
            logger[metadataKey: Self.requestIDKey] = .string(id.description)
        }
    }

    static let requestIDKey = "hb.request.id"

    /// What the client is limited and throttled under (an IPv6 client by its /64).
    public var clientAddressKey: String { AddressKey.of(clientIP) }

    public var maxUploadSize: Int { BodyReader.maximumBytes }
}

extension Request {
    /// The Bearer token of the `Authorization` header (RFC 6750 §2.1): nil when the header
    /// is absent, "" when it is present but holds no Bearer token.
    public var bearerToken: String? {
        guard let value = headers[.authorization] else { return nil }
        // On the UTF-8 bytes: splitting and trimming the header as characters was a hundredth
        // of a listings page.
        let bytes = value.utf8
        let space = UInt8(ascii: " ")
        guard let scheme = bytes.firstIndex(where: { $0 != space }),
            let separator = bytes[scheme...].firstIndex(of: space),
            bytes[scheme..<separator].elementsEqual("bearer".utf8, by: { $0 | 0x20 == $1 })
        else { return "" }
        let isBlank = { (byte: UInt8) in byte == space || byte == UInt8(ascii: "\t") }
        guard let first = bytes[separator...].firstIndex(where: { !isBlank($0) }),
            let last = bytes[separator...].lastIndex(where: { !isBlank($0) })
        else { return "" }
        return String(value[first..<bytes.index(after: last)])
    }
}
