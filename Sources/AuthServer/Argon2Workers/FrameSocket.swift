#if os(Linux)
import Glibc

/// A stream socket between the server and an argon2 worker, read and written in whole
/// buffers: a short read is the other side gone (or lying), never a partial frame.
struct FrameSocket {
    /// Reads from this descriptor.
    let input: Int32
    /// Writes to this one (the same socket, for the server; the worker's stdout).
    let output: Int32

    /// Fills `buffer`; false at end of stream or on an error before it is full.
    func read(into buffer: UnsafeMutableRawBufferPointer) -> Bool {
        whole(buffer.count) { done in recv(input, buffer.baseAddress! + done, buffer.count - done, 0) }
    }

    /// `count` bytes, or nil at end of stream or on an error.
    func read(count: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        return bytes.withUnsafeMutableBytes { read(into: $0) } ? bytes : nil
    }

    /// Writes all of `buffer`; false when the other side is gone. Never raises SIGPIPE.
    func write(_ buffer: UnsafeRawBufferPointer) -> Bool {
        whole(buffer.count) { done in
            send(output, buffer.baseAddress! + done, buffer.count - done, Int32(MSG_NOSIGNAL))
        }
    }

    func write(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { write($0) }
    }

    /// Repeats `step` (one `recv` or `send` of what remains after `done` bytes) until `count`
    /// bytes have passed; false when a step moves nothing or fails (other than by a signal).
    private func whole(_ count: Int, _ step: (_ done: Int) -> Int) -> Bool {
        var done = 0
        while done < count {
            let moved = step(done)
            if moved > 0 {
                done += moved
            } else if moved < 0 && errno == EINTR {
                continue
            } else {
                return false
            }
        }
        return true
    }
}
#endif
