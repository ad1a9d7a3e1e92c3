import AsyncHTTPClient
import AuthTokens
import Foundation
import NIOCore

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
                guard let data = FileManager.default.contents(atPath: path) else {
                    throw FetchError(description: "cannot read JWKS file \(path)")
                }
                return Array(data)
            }
        case .url(let url):
            return {
                var request = HTTPClientRequest(url: url)
                request.headers.add(name: "Accept", value: "application/jwk-set+json, application/json")
                let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
                guard response.status == .ok else {
                    throw FetchError(description: "JWKS URL \(url) answered \(response.status.code)")
                }
                return Array(buffer: try await response.body.collect(upTo: maximumBytes))
            }
        }
    }
}
