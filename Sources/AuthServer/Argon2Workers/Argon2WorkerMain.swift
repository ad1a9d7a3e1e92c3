#if os(Linux)
import AuthCore
import AuthCrypto
import CProcessControl
import Glibc

/// The argon2 worker: the server's own binary started with `flag`, its socket as stdin and
/// stdout, an empty environment. It answers one hash request at a time until the server
/// closes the socket, and dies with the server (`PR_SET_PDEATHSIG`): its life is the server's.
enum Argon2WorkerMain {
    /// The hidden first argument, read before any setting.
    static let flag = "--argon2-worker"

    static func run() -> Never {
        var status = stat()
        guard fstat(0, &status) == 0, status.st_mode & S_IFMT == S_IFSOCK else {
            let message = "AuthServer: \(flag) is for the server's own helper processes\n"
            _ = message.withCString { write(2, $0, strlen($0)) }
            exit(64)
        }
        // Killed with the thread that spawned it; a server gone before this line closed the
        // socket, so the first read below ends the worker.
        _ = auth_set_parent_death_signal(SIGKILL)
        _ = auth_set_process_name("argon2-worker")
        // The server's stop signals are for the server: the worker ends when its socket does.
        for signal in [SIGINT, SIGTERM, SIGHUP] { _ = Glibc.signal(signal, SIG_IGN) }
        var parameters = sched_param(sched_priority: 0)
        _ = sched_setscheduler(0, HashingPool.schedulingPolicy, &parameters)  // like the hashing threads
        let socket = FrameSocket(input: 0, output: 1)
        while let answer = answerNext(on: socket) {
            guard socket.write(answer) else { exit(0) }
        }
        exit(0)
    }

    /// Reads one request and computes its tag: the answer's bytes, or nil when the socket
    /// closed or the request was malformed (the server then replaces this worker).
    private static func answerNext(on socket: FrameSocket) -> [UInt8]? {
        guard let headerBytes = socket.read(count: Argon2Frame.RequestHeader.size),
            let header = Argon2Frame.RequestHeader(headerBytes), let salt = socket.read(count: header.saltLength),
            let password = try? SecretBytes(count: header.passwordLength, initializingWith: { buffer throws(EndOfStream) in
                guard socket.read(into: buffer) else { throw EndOfStream() }
            })
        else { return nil }
        let request = Argon2Request(
            variant: header.variant, password: password, salt: salt, iterations: header.iterations,
            memoryKiB: header.memoryKiB, outputLength: header.outputLength)
        // The password's memory is wiped when `request` goes, at the end of this call.
        guard let tag = try? InProcessArgon2Kernel().tag(for: request) else {
            return Argon2Frame.AnswerHeader.failed.bytes
        }
        return Argon2Frame.AnswerHeader.tag(length: tag.count).bytes + tag
    }

    private struct EndOfStream: Error {}
}
#endif
