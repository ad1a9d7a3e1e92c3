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

    /// The access line's direct path writes what `Logger.info` writes for the same metadata:
    /// in order, with the logger's own keys, the line's fields winning a key they share.
    @Test(arguments: [LogSettings.Format.text, .json])
    func aLineOfSortedFieldsIsTheLoggersLine(format: LogSettings.Format) throws {
        let file = LogFile()
        var logger = Logger(label: "AuthServer") { ServerLogHandler(label: $0, format: format, sink: file.sink) }
        logger[metadataKey: "hb.request.id"] = "abc"
        logger[metadataKey: "status"] = "shadowed"
        let fields: [(key: String, value: String)] = [("client", "::1"), ("method", "GET"), ("status", "200")]
        let handler = try #require(logger.handler as? ServerLogHandler)
        handler.info("request", source: "ServerSupport", fields: LogFields(sorted: fields))
        logger.info("request", metadata: .init(uniqueKeysWithValues: fields.map { ($0.key, .string($0.value)) }), source: "ServerSupport")
        let lines = try file.lines()
        #expect(lines.count == 2)
        if format == .text {
            #expect(Self.withoutTimestamp(lines[0]) == " info AuthServer: client=::1 hb.request.id=abc method=GET status=200 [ServerSupport] request")
            #expect(Self.withoutTimestamp(lines[1]) == Self.withoutTimestamp(lines[0]))
        } else {
            let objects = try lines.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: String]) }
            #expect(objects[0]["status"] == "200" && objects[0]["hb.request.id"] == "abc" && objects[0]["client"] == "::1")
            #expect(objects[0].filter { $0.key != "time" } == objects[1].filter { $0.key != "time" })
        }
    }

    /// Below `info`, the direct path writes nothing, as the logger would not.
    @Test func aLineOfSortedFieldsHonoursTheLevel() throws {
        let file = LogFile()
        var handler = ServerLogHandler(label: "AuthServer", sink: file.sink)
        handler.logLevel = .warning
        handler.info("request", source: "ServerSupport", fields: LogFields(sorted: [("status", "200")]))
        #expect(try file.lines().isEmpty)
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
