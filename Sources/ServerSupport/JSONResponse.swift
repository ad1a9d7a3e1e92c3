import Foundation
import Hummingbird
import WireFormat

extension Response {
    /// A JSON response; property names are written in snake_case (`createdAt` → `created_at`).
    public static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return json(buffer: ByteBuffer(bytes: try! encoder.encode(value)), status: status, headers: headers)
    }

    /// A response whose JSON body is already written (by `JSONObjectWriter`, for hot paths).
    public static func json(bytes: [UInt8], status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        json(buffer: ByteBuffer(bytes: bytes), status: status, headers: headers)
    }

    /// A response whose JSON body is already written into a buffer.
    public static func json(buffer: ByteBuffer, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: buffer))
    }

    /// A health check's `{"status":"ok"}`, never cached; its bytes are written once.
    public static var healthy: Response {
        json(bytes: healthyBody, headers: [.cacheControl: "no-store"])
    }

    private static let healthyBody = Array(#"{"status":"ok"}"#.utf8)
}
