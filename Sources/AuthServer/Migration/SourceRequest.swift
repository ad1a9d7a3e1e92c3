import Foundation
import ServerSupport
import WireFormat

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One JSON POST to the source of a lazy migration, bounded in time and size; no redirect is
/// followed. Throws `SourceRequest.Failure` when there is no answer to judge.
struct SourceRequest {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The answer: its status and, when the body is strict JSON, its value.
    struct Answer {
        var status: Int
        var json: JSONValue?
    }

    static let maximumBytes = 65_536

    static func post(_ url: URL, headers: [String: String], body: [String: Any], timeout: TimeInterval) async throws -> Answer {
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        request.httpBody = try JSONSerialization.data(withJSONObject: body)
        let answer: BoundedHTTPRequest.Answer
        do {
            answer = try await BoundedHTTPRequest.send(request, limit: maximumBytes, timeout: timeout)
        } catch is BoundedHTTPRequest.TooLarge {
            throw Failure(description: "the answer was longer than \(maximumBytes) bytes")
        } catch {
            throw Failure(description: "no answer within \(Int(timeout)) s (\((error as NSError).localizedDescription))")
        }
        return Answer(status: answer.status, json: try? JSONValue.parse(Array(answer.body)))
    }

    /// Whether `url` may carry passwords: https, or http to a loopback address (a local test double).
    static func isAcceptable(_ url: URL) -> Bool {
        guard let host = url.host, !host.isEmpty else { return false }
        if url.scheme == "https" { return true }
        return url.scheme == "http" && ["127.0.0.1", "localhost", "::1", "[::1]"].contains(host.lowercased())
    }
}
