import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One HTTP request to another system (a JWKS URL, the source of a lazy migration) that
/// follows no redirect (its 3xx is the answer) and reads at most `limit` bytes (the transfer is
/// cancelled past it), within `timeout` seconds.
public final class BoundedHTTPRequest: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    private let limit: Int
    private let lock = NSLock()
    private var body = Data()  // guarded by lock
    private var tooLarge = false  // guarded by lock
    private var continuation: CheckedContinuation<Answer, any Error>?  // guarded by lock

    /// The answer was longer than the limit.
    public struct TooLarge: Error {}
    public typealias Answer = (body: Data, status: Int)

    private init(limit: Int) {
        self.limit = limit
    }

    /// The body and status of the answer to `request`; throws `TooLarge` past `limit` bytes, and
    /// the transport's error when there is no answer within `timeout`.
    public static func send(_ request: URLRequest, limit: Int, timeout: TimeInterval) async throws -> Answer {
        let download = BoundedHTTPRequest(limit: limit)
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout
        let session = URLSession(configuration: configuration, delegate: download, delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }
        var request = request
        request.cachePolicy = .reloadIgnoringLocalCacheData
        request.timeoutInterval = timeout
        return try await withCheckedThrowingContinuation { continuation in
            download.lock.withLock { download.continuation = continuation }
            session.dataTask(with: request).resume()
        }
    }

    public func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }

    public func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
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

    public func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
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
