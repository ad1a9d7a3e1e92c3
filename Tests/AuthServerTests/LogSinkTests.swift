import Foundation
import Logging
import Testing

@testable import ServerSupport

@Suite struct LogSinkTests {
    /// Lines logged at once from many tasks all reach the file by `flush()`, whole, each
    /// task's in its order; and a burst beyond the backlog limit loses none either.
    @Test(arguments: [50, 5_000])
    func everyLineLoggedBeforeAFlushIsWrittenWholeAndInOrder(linesPerTask: Int) async throws {
        let file = LogFile()
        let sink = file.sink
        let padding = String(repeating: "x", count: 200)
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                group.addTask {
                    for line in 0..<linesPerTask { sink.write("task=\(task) line=\(line) \(padding)\n") }
                }
            }
        }
        let lines = try file.lines()
        #expect(lines.count == 8 * linesPerTask)
        for task in 0..<8 {
            let numbers = lines.filter { $0.hasPrefix("task=\(task) ") }.map { Int($0.split(separator: " ")[1].dropFirst(5))! }
            #expect(numbers == Array(0..<linesPerTask))
        }
        #expect(lines.allSatisfy { $0.hasSuffix(padding) })
    }

    /// An error line is in the file when the logging call returns, before any flush: a crash
    /// right after it can't lose it. (The writer thread alone would write it a little later.)
    @Test func anErrorLineIsWrittenBeforeTheLoggingCallReturns() throws {
        let file = LogFile()
        let sink = file.sink
        let logger = Logger(label: "test") { ServerLogHandler(label: $0, sink: sink) }
        for attempt in 0..<20 {
            logger.error("failure \(attempt)")
            #expect(try file.text().contains("failure \(attempt)"))
        }
    }
}
