import AuthCore
import Logging
import ServiceLifecycle
import WireFormat

/// The delivery worker: looks for due mail every second, and at once again after a pass that
/// found some. At shutdown it finishes the attempt under way (a message the server accepted
/// is recorded as sent) and hands the rest of its batch back to the queue.
struct MailDeliveryService: Service {
    static let pollInterval = Duration.seconds(1)
    let deliver: DeliverMail
    let logger: Logger

    func run() async {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            var claimed = 0
            do {
                let outcomes = try await deliver { !Task.isShuttingDownGracefully }
                outcomes.forEach(log)
                claimed = outcomes.count
            } catch {
                logger.error("mail delivery failed", metadata: ["error": "\(error)"])
            }
            if claimed == 0 {
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: Self.pollInterval) }
            }
        }
    }

    /// One line per attempt: the mail's id and purpose, never its recipient or message.
    private func log(_ mail: OutgoingMail, _ outcome: DeliveryOutcome) {
        var metadata: Logger.Metadata = ["mail": "\(mail.id)", "purpose": "\(mail.purpose.rawValue)"]
        switch outcome {
        case .sent: logger.info("mail sent", metadata: metadata)
        case .released: break
        case .retry(let at, let error):
            metadata["error"] = "\(error)"
            metadata["retry_at"] = "\(Timestamp.rfc3339(at))"
            logger.warning("mail not delivered; will retry", metadata: metadata)
        case .failed(let error):
            metadata["error"] = "\(error)"
            logger.error("mail failed; see authctl mail list --failed", metadata: metadata)
        }
    }
}
