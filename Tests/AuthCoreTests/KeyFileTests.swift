import AuthCrypto
import Foundation
import Synchronization
import Testing

@testable import AuthCore

@Suite struct KeyFileTests {
    /// Nodes started at once on one key file all end up with the one key a single node created,
    /// and no draft of another key is left beside it (e2e: `test_nodes_started_at_once_…`).
    @Test func nodesCreatingTheFileAtOnceShareOneKey() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("keyfile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("auth.key").path
        let results = Mutex<[Result<(key: SecretBytes, created: Bool), any Error>]>([])
        DispatchQueue.concurrentPerform(iterations: 16) { _ in
            let result = Result { try KeyFile.loadOrCreate(path: path) }
            results.withLock { $0.append(result) }
        }
        let keys = try results.withLock { try $0.map { try $0.get() } }
        #expect(keys.count(where: \.created) == 1)
        let onDisk = try KeyFile.load(path: path)
        #expect(keys.allSatisfy { $0.key.equals(onDisk) })
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["auth.key"])
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }
}
