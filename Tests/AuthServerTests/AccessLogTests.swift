import AuthCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@testable import AuthServer
@testable import ServerSupport

@Suite struct AccessLogTests {
    /// An access line's `duration_ms`: milliseconds with two decimals, rounded.
    @Test(arguments: [
        (Duration.microseconds(4_235), "4.24"), (.microseconds(4_234), "4.23"), (.seconds(1.5), "1500.00"),
        (.nanoseconds(10), "0.00"), (.microseconds(50), "0.05"), (.zero, "0.00"), (.microseconds(999_996), "1000.00"),
    ])
    func theDurationIsInMillisecondsWithTwoDecimals(duration: Duration, text: String) {
        #expect(AccessLogMiddleware.milliseconds(duration) == text)
    }
}

/// Every line of a request and its `X-Request-Id` carry the same id (PRODUCTION.md).
@Suite struct RequestIDTests {
    @Test func theAccessLineCarriesTheIdTheResponseReturns() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("auth-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var configuration = ServerConfiguration()
        configuration.database = .sqlite(path: directory.appendingPathComponent("auth.sqlite").path)
        configuration.mail.folder = directory.appendingPathComponent("mail").path
        configuration.settings.argon2 = Argon2Parameters(memoryKiB: 64, iterations: 1, parallelism: 1)
        let file = LogFile()
        let logger = Logger(label: "AuthServer") { ServerLogHandler(label: $0, sink: file.sink) }
        let app = try await buildApplication(configuration, logger: logger)
        let ids = try await app.test(.router) { client in
            var ids: [String] = []
            for _ in 0..<2 {
                let response = try await client.execute(uri: "/healthz", method: .get)
                ids.append(try #require(response.headers[AccessLogMiddleware.requestID]))
            }
            return ids
        }
        let accessLines = try file.lines().filter { $0.contains(" route=/healthz ") }
        #expect(ids.count == 2 && ids[0] != ids[1] && !ids[0].isEmpty)
        #expect(accessLines.count == 2)
        for (id, line) in zip(ids, accessLines) { #expect(line.contains(" hb.request.id=\(id) ")) }
    }
}
