import NIOCore
import NIOSSL

/// Turns any error raised while sending into a classified, password-free `SMTPError`.
enum SMTPErrorClassifier {
    /// A non-SMTP error tagged with the step in progress.
    struct StepFailure: Error {
        var step: SMTPStep
        var underlying: any Error
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
        var isConnectTimeout = false
        if case ChannelError.connectTimeout = underlying { isConnectTimeout = true }
        if timedOut || isConnectTimeout {
            return SMTPError(.transient, step: failure.step, message: "timed out after \(timeout)")
        }
        if underlying is NIOSSLError || underlying is NIOSSLExtraError || underlying is BoringSSLError {
            return SMTPError(.transient, step: .tls,
                             message: "TLS handshake or certificate verification failed: \(underlying)")
        }
        if underlying is SMTPReplyDecoder.MalformedReply {
            return SMTPError(.transient, step: failure.step, message: "malformed server reply: \(underlying)")
        }
        if failure.step == .connect {
            return SMTPError(.transient, step: .connect, message: "cannot connect: \(underlying)")
        }
        return SMTPError(.transient, step: failure.step, message: "connection failed: \(underlying)")
    }
}
