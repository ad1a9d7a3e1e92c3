import Foundation
import GRDB
import Testing

@testable import AuthCore

/// The delivery worker against a mailbox that accepts or refuses, on a clock moved by hand.
@Suite struct MailDeliveryTests {
    func queuedReset(_ configure: @escaping (inout AuthSettings) -> Void = { _ in }) async throws -> Harness {
        let h = try await Harness {
            $0.verifyOnSignUp = false
            configure(&$0)
        }
        try await h.account()
        try await h.service.forgotPassword(email: "ada@example.com", client: Harness.client)
        return h
    }

    @Test func aRefusedMailIsRetriedWithGrowingDelaysThenDelivered() async throws {
        let h = try await queuedReset()
        h.mailbox.refuse(with: MailDeliveryError(permanent: false, "connection refused"))
        var delays: [Int64] = []
        for _ in 0..<4 {
            guard case .retry(let at, let error) = try await h.deliverMail().first else { Issue.record("no retry"); return }
            #expect(error == "connection refused")
            delays.append(at - h.clock.now.seconds)
            #expect(try await h.deliverMail().isEmpty)  // not due yet
            h.clock.advance(at - h.clock.now.seconds)
        }
        // 2, 4, 8, 16 s, each ±20 % (rounded to whole seconds)
        let withinJitter = zip(delays, [2.0, 4, 8, 16]).allSatisfy { Double($0) >= ($1 * 0.8).rounded(.down) && Double($0) <= ($1 * 1.2).rounded(.up) }
        #expect(delays.count == 4 && withinJitter, "\(delays)")
        h.mailbox.refuse(with: nil)
        #expect(try await h.deliverMail() == [.sent])
        #expect(h.mailbox.delivered.count == 1)
        h.clock.advance(3_600)
        #expect(try await h.deliverMail().isEmpty)
        let listed = try await h.store.mailSummaries(status: nil, limit: 10)
        #expect(listed.map(\.status) == [.sent] && listed[0].attempts == 5)
    }

    @Test func aPermanentRefusalFailsAtOnceAndAnAdminCanRetry() async throws {
        let h = try await queuedReset()
        h.mailbox.refuse(with: MailDeliveryError(permanent: true, "550 no such user"))
        #expect(try await h.deliverMail() == [.failed(error: "550 no such user")])
        let failed = try await h.store.mailSummaries(status: .failed, limit: 10)
        #expect(failed.count == 1 && failed[0].lastError == "550 no such user")
        let admin = Administration(store: h.store, actor: ClientInfo(ip: "", userAgent: "tests"), clock: h.clock.now)
        await #expect(throws: AuthError.self) { try await admin.retryMail(id: "00000000-0000-4000-8000-000000000000") }
        try await admin.retryMail(id: failed[0].id.uppercased())
        h.mailbox.refuse(with: nil)
        #expect(try await h.deliverMail() == [.sent])
        #expect(try await h.store.auditEvents(AuditFilter(kind: .mailRequeued)).count == 1)
    }

    @Test func mailStillUndeliveredAfterTheRetryWindowFails() async throws {
        let h = try await queuedReset { $0.mailRetryFor = 10 }
        h.mailbox.refuse(with: MailDeliveryError(permanent: false, "451 greylisted"))
        var outcomes: [DeliveryOutcome] = []
        for _ in 0..<6 {
            outcomes += try await h.deliverMail()
            h.clock.advance(5)
        }
        guard case .failed(let error) = outcomes.last else { Issue.record("\(outcomes)"); return }
        #expect(error == "451 greylisted" && outcomes.dropLast().allSatisfy { if case .retry = $0 { true } else { false } })
    }

    @Test func aStoppingWorkerHandsItsBatchBackUntried() async throws {
        let h = try await queuedReset()
        let deliver = DeliverMail(
            outbox: h.store, transport: h.mailbox, keys: h.keys, settings: h.service.settings, clock: h.clock.now,
            metrics: AuthMetrics())
        #expect(try await deliver { false }.map(\.outcome) == [.released])
        #expect(try await h.deliverMail() == [.sent])
    }

    @Test func theQueuedMessageIsSealedAndDroppedOnceSent() async throws {
        let h = try await queuedReset()
        let token = try #require(try await h.mailedToken(.resetPassword))
        try await h.service.forgotPassword(email: "ada@example.com", client: Harness.client)  // within the interval: no mail
        let stored = try await h.store.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT sealed_message FROM mail_outbox").map { $0["sealed_message"] as Data? }
        }
        #expect(stored.count == 1 && stored[0] == nil)
        h.clock.advance(61)
        try await h.service.forgotPassword(email: "ada@example.com", client: Harness.client)
        let sealed = try await h.store.writer.read { db in
            try Data.fetchOne(db, sql: "SELECT sealed_message FROM mail_outbox WHERE status = 'pending'")
        }
        #expect(!String(decoding: try #require(sealed), as: UTF8.self).contains("token="))
        #expect(!token.isEmpty)
    }
}
