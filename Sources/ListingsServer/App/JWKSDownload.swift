import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One GET of a JWKS URL that follows no redirect (its 3xx is the answer, and refused) and
/// reads at most `limit` bytes (the transfer is cancelled past it), within `timeout` seconds.
final class JWKSDownload: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    private let limit: Int
    private let lock = NSLock()
    private var body = Data()  // guarded by lock
    private var tooLarge = false  // guarded by lock
    private var continuation: CheckedContinuation<Answer, any Error>?  // guarded by lock

    struct TooLarge: Error {}
    typealias Answer = (body: Data, status: Int)

    private init(limit: Int) {
        self.limit = limit
    }

    /// The body and status of `url`'s answer; throws `TooLarge` past `limit` bytes.
    static func get(_ url: URL, limit: Int, timeout: TimeInterval) async throws -> Answer {
        let download = JWKSDownload(limit: limit)
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout
        let session = URLSession(configuration: configuration, delegate: download, delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        request.setValue("application/jwk-set+json, application/json", forHTTPHeaderField: "Accept")
        return try await withCheckedThrowingContinuation { continuation in
            download.lock.withLock { download.continuation = continuation }
            session.dataTask(with: request).resume()
        }
    }

    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let cancel = lock.withLock {
            guard body.count + data.count <= limit else {
                tooLarge = true
                return true
            }
            body.append(data)
            return false
        }
        if cancel { dataTask.cancel() }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        let (continuation, result): (CheckedContinuation<Answer, any Error>?, Result<Answer, any Error>) =
            lock.withLock {
                defer { self.continuation = nil }
                let status = (task.response as? HTTPURLResponse)?.statusCode ?? 0
                if tooLarge { return (self.continuation, .failure(TooLarge())) }
                if let error { return (self.continuation, .failure(error)) }
                return (self.continuation, .success((body: body, status: status)))
            }
        continuation?.resume(with: result)
    }
}
