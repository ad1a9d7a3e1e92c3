import Foundation
import Hummingbird
import WireFormat

/// Reads request bodies within the size limit and decodes them strictly: a wrong content
/// type, malformed JSON, a missing field or a field of the wrong type is 400 `invalid_request`;
/// a body over the limit is 413.
public enum BodyReader {
    /// The largest body accepted.
    public static let maximumBytes = 64 * 1024

    /// The raw body, or 413 when it exceeds the limit.
    public static func bytes(of request: Request) async throws -> ByteBuffer {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maximumBytes {
            throw HTTPError(.contentTooLarge)
        }
        var request = request
        return try await request.collectBody(upTo: maximumBytes)
    }

    /// The media type of the request, lowercased, without parameters.
    public static func mediaType(of request: Request) -> String? {
        guard let value = request.headers[.contentType] else { return nil }
        return value.split(separator: ";", maxSplits: 1).first.map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        }
    }

    /// A JSON body decoded as `T`.
    public static func json<T: Decodable>(_ type: T.Type, from request: Request) async throws -> T {
        guard mediaType(of: request) == "application/json" else {
            throw APIError.invalidRequest("The request body must be JSON (Content-Type: application/json).")
        }
        return try decodeJSON(type, from: try await bytes(of: request))
    }

    /// A JSON body decoded as `T`, or nil when the request has no body at all.
    public static func optionalJSON<T: Decodable>(_ type: T.Type, from request: Request) async throws -> T? {
        let body = try await bytes(of: request)
        if body.readableBytes == 0 { return nil }
        guard mediaType(of: request) == "application/json" else {
            throw APIError.invalidRequest("The request body must be JSON (Content-Type: application/json).")
        }
        return try decodeJSON(type, from: body)
    }

    /// Decodes `body` as `T` once the one strict parser (`JSONValue`) has accepted it: RFC 8259
    /// exactly, so trailing commas, comments, duplicate members and nesting past
    /// `JSONValue.maximumDepth` are 400 before any decoder, lenient or not, sees the text.
    static func decodeJSON<T: Decodable>(_ type: T.Type, from body: ByteBuffer) throws -> T {
        do {
            _ = try JSONValue.parse(body.readableBytesView)
        } catch .duplicateMember {
            throw APIError.invalidRequest("The request body names a field more than once.")
        } catch .tooDeep {
            throw APIError.invalidRequest("The request body nests deeper than \(JSONValue.maximumDepth) levels.")
        } catch {
            throw APIError.invalidRequest("The request body is not valid JSON (RFC 8259).")
        }
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer: body))
        } catch let error as DecodingError {
            throw APIError.invalidRequest(describe(error))
        }
    }

    /// A client-facing account of a decoding failure: which field, never the value.
    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, _): "The field \"\(key.stringValue)\" is required."
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            "The field \"\(context.codingPath.map(\.stringValue).joined(separator: "."))\" has the wrong type."
        default: "The request body is not valid JSON of the expected shape."
        }
    }

    /// An `application/x-www-form-urlencoded` body (or JSON object of strings) as parameters.
    /// A parameter given twice is refused (RFC 6749 §3.2).
    public static func parameters(from request: Request) async throws -> [String: String] {
        let body = try await bytes(of: request)
        switch mediaType(of: request) {
        case "application/x-www-form-urlencoded":
            return try FormParameters.parse(String(buffer: body))
        case "application/json":
            return try decodeJSON([String: String].self, from: body)
        default:
            throw APIError.invalidRequest(
                "The request body must be application/x-www-form-urlencoded or application/json.")
        }
    }
}

/// `application/x-www-form-urlencoded` parsing (WHATWG URL §5.1), strict about duplicates.
public enum FormParameters {
    public static func parse(_ text: String) throws -> [String: String] {
        var parameters: [String: String] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(parts[0]), let value = decode(parts.count == 2 ? parts[1] : "") else {
                throw APIError.invalidRequest("The form body is not valid percent-encoded text.")
            }
            guard parameters[name] == nil else {
                throw APIError.invalidRequest("The parameter \"\(name)\" is given more than once.")
            }
            parameters[name] = value
        }
        return parameters
    }

    static func decode(_ text: Substring) -> String? {
        String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
