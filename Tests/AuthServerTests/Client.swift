import AuthCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

@testable import AuthServer

/// Runs `body` against the real application, in process, on a fresh temporary database; it
/// logs to `logger`, by default only critical lines.
func withTokenService(
    logger: Logger = quiet,
    _ configure: (inout ServerConfiguration) -> Void = { _ in },
    _ body: @Sendable (TestClient) async throws -> Void
) async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("auth-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    var configuration = ServerConfiguration()
    configuration.database = .sqlite(path: directory.appendingPathComponent("auth.sqlite").path)
    configuration.mail.folder = directory.appendingPathComponent("mail").path
    configuration.settings.argon2 = Argon2Parameters(memoryKiB: 64, iterations: 1, parallelism: 1)
    configure(&configuration)
    let app = try await buildApplication(configuration, logger: logger)
    try await app.test(.router) { client in try await body(TestClient(client: client)) }
}

/// The tests' default logger: critical lines only.
private let quiet = {
    var logger = Logger(label: "tests")
    logger.logLevel = .critical
    return logger
}()

/// A thin JSON-speaking wrapper over Hummingbird's test client.
struct TestClient: Sendable {
    let client: any TestClientProtocol

    struct Reply: Sendable {
        let status: HTTPResponse.Status
        let headers: HTTPFields
        let body: Data

        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
        var error: String? { json["error"] as? String }
    }

    func send(
        _ method: HTTPRequest.Method, _ uri: String, json: Any? = nil, form: String? = nil, raw: String? = nil,
        contentType: String? = nil, token: String? = nil, headers extra: HTTPFields = [:]
    ) async throws -> Reply {
        var headers = extra
        var body: ByteBuffer?
        if let json {
            body = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json))
            headers[.contentType] = "application/json"
        } else if let form {
            body = ByteBuffer(string: form)
            headers[.contentType] = "application/x-www-form-urlencoded"
        } else if let raw {
            body = ByteBuffer(string: raw)
        }
        if let contentType { headers[.contentType] = contentType }
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await client.execute(uri: uri, method: method, headers: headers, body: body) { response in
            Reply(status: response.status, headers: response.headers, body: Data(buffer: response.body))
        }
    }

    /// Signs up and logs in; returns the token response.
    func session(email: String = "ada@example.com", password: String = "correct horse battery") async throws -> [String: Any] {
        let signUp = try await send(.post, "/v1/accounts", json: ["email": email, "password": password])
        #expect(signUp.status == .created || signUp.status == .conflict)
        let login = try await send(
            .post, "/v1/token", form: formEncode(["grant_type": "password", "username": email, "password": password]))
        #expect(login.status == .ok)
        return login.json
    }
}

/// `application/x-www-form-urlencoded` text of `parameters`.
func formEncode(_ parameters: KeyValuePairs<String, String>) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    return parameters.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed)!)" }
        .joined(separator: "&")
}
