import AuthTokens
import Foundation
import ServerSupport

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Reads the token service's JWKS from its URL or from a file written by `authctl keys export-public`.
enum JWKSFetcher {
    static let maximumBytes = 1024 * 1024

    struct FetchError: Error, CustomStringConvertible {
        let description: String
    }

    static func fetch(_ source: ListingsConfiguration.KeySource) -> KeySetCache.Fetch {
        switch source {
        case .file(let path):
            return {
                try await BlockingWork.run {
                    guard let data = FileManager.default.contents(atPath: path) else {
                        throw FetchError(description: "cannot read JWKS file \(path)")
                    }
                    return Array(data)
                }
            }
        case .url(let url):
            return {
                guard let address = URL(string: url) else { throw FetchError(description: "JWKS URL \(url) is not a URL") }
                let answer: (body: Data, status: Int)
                do {
                    var request = URLRequest(url: address)
                    request.setValue("application/jwk-set+json, application/json", forHTTPHeaderField: "Accept")
                    answer = try await BoundedHTTPRequest.send(request, limit: maximumBytes, timeout: 5)
                } catch is BoundedHTTPRequest.TooLarge {
                    throw FetchError(description: "JWKS URL \(url) answered more than \(maximumBytes) bytes")
                }
                guard answer.status == 200 else {
                    throw FetchError(description: "JWKS URL \(url) answered \(answer.status) (redirects are not followed)")
                }
                return Array(answer.body)
            }
        }
    }
}
