// The hello-world peer of issue #17: a bare Hummingbird 2 server with one route, `GET /json`,
// answering a small JSON object. No middleware, Hummingbird's defaults otherwise. With
// HELLO_PAGE_FILE, `GET /page` also answers that file's bytes as JSON (read once at start): a
// listings page's own bytes, so the bench can tell the cost of sending them from ours.
//
//     HelloPeer [PORT]        (or HELLO_PORT=PORT; 0, the default, picks a free port)
//
// Binds 127.0.0.1 and prints `HelloPeer listening on http://127.0.0.1:PORT` on stdout once it
// accepts connections, like the project's servers. Stops on SIGINT or SIGTERM.
import Foundation
import Hummingbird

struct Greeting: ResponseEncodable {
    let message: String
}

let portText = CommandLine.arguments.dropFirst().first ?? ProcessInfo.processInfo.environment["HELLO_PORT"] ?? "0"
guard let port = Int(portText), (0...65535).contains(port) else {
    FileHandle.standardError.write(Data("HelloPeer: bad port \(portText)\n".utf8))
    exit(2)
}

let router = Router()
router.get("json") { _, _ in Greeting(message: "Hello, World!") }
if let path = ProcessInfo.processInfo.environment["HELLO_PAGE_FILE"] {
    guard let bytes = FileManager.default.contents(atPath: path) else {
        FileHandle.standardError.write(Data("HelloPeer: cannot read \(path)\n".utf8))
        exit(2)
    }
    let page = ByteBuffer(bytes: bytes)
    router.get("page") { _, _ in
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: page))
    }
}

let app = Application(
    router: router,
    configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "HelloPeer"),
    onServerRunning: { channel in
        let bound = channel.localAddress?.port ?? port
        FileHandle.standardOutput.write(Data("HelloPeer listening on http://127.0.0.1:\(bound)\n".utf8))
    }
)
try await app.runService()
