import Foundation
import Logging
import Testing

@testable import ServerSupport

@Suite struct ServerLogHandlerTests {
    /// Byte for byte swift-log's `StreamLogHandler` line, after the timestamp: with and without
    /// the logger's and the call's metadata (the call's winning a key), and with an error.
    @Test func itsLinesAreStreamLogHandlersLines() throws {
        struct Refusal: Error {}
        let file = LogFile(), stream = Lines()
        var ours = Logger(label: "AuthServer") { ServerLogHandler(label: $0, sink: file.sink) }
        var theirs = Logger(label: "AuthServer") { StreamLogHandler(label: $0, stream: stream, metadataProvider: nil) }
        for logger in [ours, theirs] {
            logger.info("plain")
            logger.warning("with metadata", metadata: ["route": "/v1/me", "a": "1", "list": ["x", "y"]])
        }
        ours[metadataKey: "hb.request.id"] = "abc"
        theirs[metadataKey: "hb.request.id"] = "abc"
        for logger in [ours, theirs] {
            logger.notice("request", metadata: ["status": "200"])
            logger.info("the call's own wins", metadata: ["hb.request.id": "def", "z": "last"])
            logger.error("failed", error: Refusal())
        }
        let (mine, reference) = (try file.lines(), stream.written)
        #expect(mine.count == 5 && mine.map(Self.withoutTimestamp) == reference.map(Self.withoutTimestamp))
        #expect(mine.allSatisfy { $0.split(separator: " ")[0].count == "2026-11-30T16:20:00+0000".count })
    }

    /// The JSON format: one object a line, its fields and the metadata as strings.
    @Test func itsJSONLinesAreObjectsWithTheMetadata() throws {
        let file = LogFile()
        let logger = Logger(label: "AuthServer") { ServerLogHandler(label: $0, format: .json, sink: file.sink) }
        logger.warning("said \"hi\"\n", metadata: ["status": "200", "route": "/v1/me"])
        let lines = try file.lines()
        #expect(lines.count == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: String])
        #expect(object["level"] == "warning" && object["label"] == "AuthServer" && object["message"] == "said \"hi\"\n")
        #expect(object["status"] == "200" && object["route"] == "/v1/me" && object["time"] != nil)
    }

    static func withoutTimestamp(_ line: String) -> String {
        String(line.drop { $0 != " " })
    }

    /// The lines a `StreamLogHandler` writes.
    final class Lines: TextOutputStream, @unchecked Sendable {
        private(set) var written: [String] = []

        func write(_ string: String) { written += string.split(separator: "\n").map(String.init) }
    }
}
