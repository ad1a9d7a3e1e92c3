import Testing

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
