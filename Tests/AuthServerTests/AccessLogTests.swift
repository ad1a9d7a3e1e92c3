import Logging
import Testing

@testable import ServerSupport

@Suite struct AccessLogTests {
    /// An access line's `duration_ms`: milliseconds with two decimals, rounded.
    @Test(arguments: [
        (Duration.microseconds(4_235), "4.24"), (.microseconds(4_234), "4.23"), (.seconds(1.5), "1500.00"),
        (.nanoseconds(10), "0.00"), (.microseconds(50), "0.05"), (.zero, "0.00"), (.microseconds(999_996), "1000.00"),
    ])
    func theDurationIsInMillisecondsWithTwoDecimals(duration: Duration, text: String) {
        #expect(AccessLog.milliseconds(duration) == text)
    }
}

/// Every line of a request and its `X-Request-Id` carry the same id (PRODUCTION.md).
@Suite struct RequestIDTests {
    @Test func theAccessLineCarriesTheIdTheResponseReturns() async throws {
        let file = LogFile()
        let logger = Logger(label: "AuthServer") { ServerLogHandler(label: $0, sink: file.sink) }
        try await withTokenService(logger: logger) { client in
            let ids = try await [client.send(.get, "/healthz"), client.send(.get, "/healthz")].map {
                try #require($0.headers[AccessLog.requestID])
            }
            let accessLines = try file.lines().filter { $0.contains(" route=/healthz ") }
            #expect(ids[0] != ids[1] && !ids[0].isEmpty)
            #expect(accessLines.count == 2)
            for (id, line) in zip(ids, accessLines) { #expect(line.contains(" hb.request.id=\(id) ")) }
        }
    }
}
