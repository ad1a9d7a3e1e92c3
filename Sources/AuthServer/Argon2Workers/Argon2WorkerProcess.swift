#if os(Linux)
import AuthCore
import AuthCrypto
import CProcessControl
import Glibc

/// Why a worker's answer can't be used: it could not start, it died, or it answered garbage.
struct Argon2WorkerFailure: Error, CustomStringConvertible {
    let description: String
}

/// One argon2 worker as the server sees it: its pid and the server's end of its socket.
/// One thread uses it at a time (`Argon2Workers` lends it out).
final class Argon2WorkerProcess: Sendable {
    let pid: pid_t
    private let socket: Int32
    private let answerTimeout: Duration

    private init(pid: pid_t, socket: Int32, answerTimeout: Duration) {
        self.pid = pid
        self.socket = socket
        self.answerTimeout = answerTimeout
    }

    /// Starts `executable` with `Argon2WorkerMain.flag` as its only argument, no environment,
    /// one end of a new socket pair as stdin and stdout, stderr shared, nothing else open.
    /// The server's end is close-on-exec, so no other worker inherits it, and a read on it
    /// gives up after `answerTimeout`. Runs on `WorkerSpawner`'s thread, which lives as long
    /// as the process.
    static func spawn(executable: String, answerTimeout: Duration) throws(Argon2WorkerFailure) -> Argon2WorkerProcess {
        var ends: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &ends) == 0 else {
            throw Argon2WorkerFailure(description: "socketpair failed: errno \(errno)")
        }
        let (seconds, attoseconds) = answerTimeout.components
        var limit = timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
        guard setsockopt(ends[0], SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size)) == 0 else {
            ends.forEach { Glibc.close($0) }
            throw Argon2WorkerFailure(description: "setsockopt failed: errno \(errno)")
        }
        defer { Glibc.close(ends[1]) }  // the worker has its own copy
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, ends[1], 0)
        posix_spawn_file_actions_adddup2(&actions, ends[1], 1)
        auth_spawn_close_from(&actions, 3)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var signals = sigset_t()
        sigemptyset(&signals)
        posix_spawnattr_setsigmask(&attributes, &signals)  // nothing blocked
        sigfillset(&signals)
        posix_spawnattr_setsigdefault(&attributes, &signals)  // nothing the server ignores stays ignored
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let arguments = [strdup("AuthServer"), strdup(Argon2WorkerMain.flag), nil]
        defer { arguments.forEach { free($0) } }
        let environment: [UnsafeMutablePointer<CChar>?] = [nil]
        var pid = pid_t()
        let status = posix_spawn(&pid, executable, &actions, &attributes, arguments, environment)
        guard status == 0 else {
            Glibc.close(ends[0])
            throw Argon2WorkerFailure(description: "could not start \(executable): errno \(status)")
        }
        return Argon2WorkerProcess(pid: pid, socket: ends[0], answerTimeout: answerTimeout)
    }

    /// Sends a request (`prefix`: its header and salt, then the password) and reads the answer:
    /// the tag, or nil when libsodium refused the parameters. Throws when the worker is gone
    /// or answered anything but a tag of `outputLength` bytes.
    func answer(prefix: [UInt8], password: SecretBytes, outputLength: Int) throws(Argon2WorkerFailure) -> [UInt8]? {
        let socket = FrameSocket(input: socket, output: socket)
        guard socket.write(prefix), password.withUnsafeBytes({ socket.write($0) }) else {
            throw Argon2WorkerFailure(description: "worker \(pid) closed its socket")
        }
        errno = 0  // an end of stream sets none, so a stale EAGAIN can't pass for the timeout
        guard let headerBytes = socket.read(count: Argon2Frame.AnswerHeader.size) else {
            throw Argon2WorkerFailure(
                description: errno == EAGAIN
                    ? "worker \(pid) did not answer within \(answerTimeout)" : "worker \(pid) closed its socket")
        }
        switch Argon2Frame.AnswerHeader(headerBytes, expecting: outputLength) {
        case .failed:
            return nil
        case .tag(let length):
            guard let tag = socket.read(count: length) else {
                throw Argon2WorkerFailure(description: "worker \(pid) closed its socket")
            }
            return tag
        case nil:
            throw Argon2WorkerFailure(description: "worker \(pid) answered garbage")
        }
    }

    /// Closes the socket, which ends an idle worker, and reaps it; one still running after
    /// `grace` is killed.
    func close(grace: Duration = .seconds(1)) {
        Glibc.close(socket)
        let deadline = ContinuousClock.now + grace
        while ContinuousClock.now < deadline {
            let reaped = waitpid(pid, nil, WNOHANG)
            if reaped == pid || (reaped < 0 && errno != EINTR) { return }
            usleep(1_000)
        }
        Glibc.kill(pid, SIGKILL)
        reap()
    }

    /// Whether the worker has exited (it is then reaped and its socket closed: never use it again).
    func reapIfExited() -> Bool {
        guard waitpid(pid, nil, WNOHANG) == pid else { return false }
        Glibc.close(socket)
        return true
    }

    /// Kills and reaps a worker that died or answered garbage.
    func kill() {
        Glibc.kill(pid, SIGKILL)
        Glibc.close(socket)
        reap()
    }

    private func reap() {
        while waitpid(pid, nil, 0) < 0 && errno == EINTR {}
    }
}
#endif
