#if os(Linux)
import AuthCore
import AuthCrypto
import Foundation
import Logging
import Testing

@testable import AuthServer

/// libsodium's argon2 in real worker processes: the AuthServer binary built beside the tests.
@Suite struct Argon2WorkersTests {
    static let binary = URL(fileURLWithPath: try! FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        .deletingLastPathComponent().appendingPathComponent("AuthServer").path
    static let logger = Logger(label: "tests") { _ in SwiftLogNoOpLogHandler() }

    static func workers(count: Int = 2, executable: String = binary, answerTimeout: Duration = .seconds(30)) throws
        -> Argon2Workers
    {
        try Argon2Workers(executable: executable, count: count, answerTimeout: answerTimeout, logger: logger)
    }

    /// Known answers from the reference implementation (argon2-cffi's libargon2), 16-byte salt
    /// "somesaltsomesalt", password "password", 32-byte tags.
    static let vectors: [(variant: SodiumArgon2.Variant, memoryKiB: UInt32, iterations: UInt32, tag: String)] = [
        (.argon2id, 256, 2, "cab746b4621993fdc91ec50787980b414a90a692f0bc68dfe19f9c25b3cba9ec"),
        (.argon2i, 256, 3, "8eeeeeb345cdac7232eb6da326b9fcc35845a84677ffcf05cd0773dd9adc0359"),
        (.argon2id, 1024, 1, "16253e23a29b20d7c7a0c05f9150e74baaa6cf1832edc838d484fc250a02bef9"),
    ]

    static func request(_ variant: SodiumArgon2.Variant, memoryKiB: UInt32, iterations: UInt32) -> Argon2Request {
        Argon2Request(
            variant: variant, password: SecretBytes(Array("password".utf8)), salt: Array("somesaltsomesalt".utf8),
            iterations: iterations, memoryKiB: memoryKiB, outputLength: 32)
    }

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    @Test func workersComputeTheReferenceTagsAsInProcessDoes() throws {
        let workers = try Self.workers()
        defer { workers.shutdown() }
        for vector in Self.vectors {
            let request = Self.request(vector.variant, memoryKiB: vector.memoryKiB, iterations: vector.iterations)
            #expect(Self.hex(try workers.tag(for: request)) == vector.tag)
            #expect(Self.hex(try InProcessArgon2Kernel().tag(for: request)) == vector.tag)
        }
    }

    @Test func aPasswordHasherOnWorkersHashesAndVerifies() throws {
        let workers = try Self.workers()
        defer { workers.shutdown() }
        let hasher = try PasswordHasher(parameters: Argon2Parameters(memoryKiB: 64, iterations: 1, parallelism: 1), kernel: workers)
        let hash = try hasher.hash(Password("correct horse battery"))
        #expect(try hasher.verify(Password("correct horse battery"), against: hash))
        #expect(try !hasher.verify(Password("correct horse batterY"), against: hash))
        #expect(try PasswordHasher(parameters: hasher.parameters).verify(Password("correct horse battery"), against: hash))
    }

    @Test func aKilledWorkerIsReplacedAndTheCallSucceeds() throws {
        let workers = try Self.workers(count: 1)
        defer { workers.shutdown() }
        let victim = try #require(workers.idlePIDs.first)
        kill(victim, SIGKILL)
        let vector = Self.vectors[0]
        let tag = try workers.tag(for: Self.request(vector.variant, memoryKiB: vector.memoryKiB, iterations: vector.iterations))
        #expect(Self.hex(tag) == vector.tag)
        #expect(workers.idlePIDs.count == 1 && workers.idlePIDs != [victim])
        #expect(!Self.exists(victim), "the dead worker was reaped")
    }

    @Test func aStoppedWorkerIsKilledAfterTheAnswerTimeoutAndTheCallSucceedsOnANewOne() throws {
        let workers = try Self.workers(count: 1, answerTimeout: .milliseconds(500))
        defer { workers.shutdown() }
        let stuck = try #require(workers.idlePIDs.first)
        kill(stuck, SIGSTOP)
        let vector = Self.vectors[0]
        let started = ContinuousClock.now
        let tag = try workers.tag(for: Self.request(vector.variant, memoryKiB: vector.memoryKiB, iterations: vector.iterations))
        #expect(Self.hex(tag) == vector.tag)
        #expect(ContinuousClock.now - started >= .milliseconds(500))
        #expect(workers.idlePIDs.count == 1 && workers.idlePIDs != [stuck])
        #expect(!Self.exists(stuck), "the stuck worker was killed and reaped")
    }

    @Test func libsodiumRefusingParametersKeepsTheWorker() throws {
        let workers = try Self.workers(count: 1)
        defer { workers.shutdown() }
        let before = workers.idlePIDs
        #expect(throws: CryptoError.kdfFailed) { try workers.tag(for: Self.request(.argon2i, memoryKiB: 64, iterations: 1)) }
        #expect(workers.idlePIDs == before)
    }

    @Test func aWorkerAnsweringGarbageIsRefusedTwiceThenTheCallThrows() throws {
        // Not `yes` itself: GNU yes takes `--argon2-worker` for an option and exits at once.
        let garbling = FileManager.default.temporaryDirectory.appendingPathComponent("garbler-\(UUID())").path
        #expect(FileManager.default.createFile(
            atPath: garbling, contents: Data("#!/bin/sh\nexec /usr/bin/yes garbage\n".utf8), attributes: [.posixPermissions: 0o700]))
        defer { try? FileManager.default.removeItem(atPath: garbling) }
        let workers = try Self.workers(count: 1, executable: garbling)  // answers "garbage\n…", and stays
        defer { workers.shutdown() }
        let garbler = try #require(workers.idlePIDs.first)
        #expect(throws: Argon2WorkerFailure.self) { try workers.tag(for: Self.request(.argon2id, memoryKiB: 64, iterations: 1)) }
        #expect(workers.idlePIDs.isEmpty && !Self.exists(garbler))
    }

    @Test func aWorkerGivenAGarbageRequestHangsUp() throws {
        let worker = try WorkerSpawner.shared.spawn(executable: Self.binary, answerTimeout: .seconds(30))
        defer { worker.kill() }
        #expect(throws: Argon2WorkerFailure.self) {
            try worker.answer(prefix: Array(repeating: 0xFF, count: 64), password: SecretBytes([]), outputLength: 32)
        }
    }

    @Test func workersHaveNoEnvironmentRunIdleAndAreNamed() throws {
        let workers = try Self.workers(count: 1)
        defer { workers.shutdown() }
        _ = try workers.tag(for: Self.request(.argon2id, memoryKiB: 64, iterations: 1))  // past its set-up
        let pid = try #require(workers.idlePIDs.first)
        #expect(try Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/environ")).isEmpty)
        #expect(try String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8) == "argon2-worker\n")
        let stat = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        #expect(Int32(stat.split(separator: " ")[40]) == HashingPool.schedulingPolicy)  // field 41: the policy
    }

    @Test func noWorkerRemainsAfterShutdown() throws {
        let workers = try Self.workers(count: 3)
        let pids = workers.idlePIDs
        #expect(pids.count == 3 && pids.allSatisfy(Self.exists))
        workers.shutdown()
        #expect(!pids.contains(where: Self.exists))
        #expect(throws: Argon2WorkerFailure.self) { try workers.tag(for: Self.request(.argon2id, memoryKiB: 64, iterations: 1)) }
    }

    @Test func theTokenServiceSignsUpAndLogsInThroughWorkers() async throws {
        try await withTokenService({ $0.argon2WorkerExecutable = Self.binary }) { client in
            let grant = try await client.session()
            #expect(grant["access_token"] != nil)
        }
    }

    /// Whether `pid` is a process, a zombie included (only a reaped child is gone).
    static func exists(_ pid: pid_t) -> Bool { kill(pid, 0) == 0 }
}
#endif
