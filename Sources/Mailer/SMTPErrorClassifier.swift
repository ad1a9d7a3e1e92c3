import NIOCore
import NIOSSL

/// Turns any error raised while sending into a classified, password-free `SMTPError`.
enum SMTPErrorClassifier {
    /// A non-SMTP error tagged with the step in progress.
    struct StepFailure: Error {
        var step: SMTPStep
        var underlying: any Error
    }

    /// The server closed the connection (or the deadline closed it) while a reply was awaited.
    struct ConnectionClosed: Error, CustomStringConvertible {
        var description: String { "the server closed the connection" }
    }

    static func classify(_ error: any Error, deadline: NIODeadline, server: SMTPServer) -> SMTPError {
        let classified: SMTPError
        if let error = error as? SMTPError {
            classified = error
        } else {
            let failure = error as? StepFailure ?? StepFailure(step: .connect, underlying: error)
            classified = classify(failure, timedOut: NIODeadline.now() >= deadline, timeout: server.timeout)
        }
        guard let password = server.password, !password.isEmpty, classified.message.contains(password) else {
            return classified
        }
        return SMTPError(classified.kind, step: classified.step, replyCode: classified.replyCode,
                         message: classified.message.replacingOccurrences(of: password, with: "***"))
    }

    private static func classify(_ failure: StepFailure, timedOut: Bool, timeout: Duration) -> SMTPError {
        let underlying = failure.underlying
        if Task.isCancelled {
            return SMTPError(.transient, step: failure.step, message: "the send was cancelled")
        }
        var isConnectTimeout = false
        if case ChannelError.connectTimeout = underlying { isConnectTimeout = true }
        if timedOut || isConnectTimeout {
            return SMTPError(.transient, step: failure.step, message: "timed out after \(timeout)")
        }
        if underlying is NIOSSLError || underlying is NIOSSLExtraError || underlying is BoringSSLError {
            return SMTPError(.transient, step: .tls,
                             message: "TLS handshake or certificate verification failed: \(tlsReason(underlying))")
        }
        if underlying is SMTPReplyDecoder.MalformedReply {
            return SMTPError(.transient, step: failure.step, message: "malformed server reply: \(underlying)")
        }
        if underlying is ConnectionClosed {
            return SMTPError(.transient, step: failure.step, message: "\(underlying)")
        }
        if failure.step == .connect {
            return SMTPError(.transient, step: .connect, message: "cannot connect: \(underlying)")
        }
        return SMTPError(.transient, step: failure.step, message: "connection failed: \(underlying)")
    }

    /// The BoringSSL reason codes (e.g. CERTIFICATE_VERIFY_FAILED) of a TLS error,
    /// or its description when it has none.
    private static func tlsReason(_ error: any Error) -> String {
        let text = "\(error)"
        let reasons = text.matches(of: /OPENSSL_internal:([A-Z0-9_]+)/).map { String($0.1) }
        return reasons.isEmpty ? text : reasons.joined(separator: ", ")
    }
}
