import Testing

@testable import AuthCore

@Suite struct OutboxStoreContract {
    /// A store with `count` queued mails, queued at 100, 101, …
    func queued(_ s: StoreUnderTest, _ count: Int) async throws -> any AuthStore {
        try await queue(count, in: s.make())
    }

    func queue(_ count: Int, in store: any AuthStore) async throws -> any AuthStore {
        for n in 1...count {
            try await store.insertAccount(Sample.account(n))
            let issued = try await store.issue(
                EmailTokenStoreContract.token(UInt8(n), account: n, at: 99 + Int64(n), email: "user\(n)@example.com"),
                queueing: [EmailTokenStoreContract.mail(n - 1, at: 99 + Int64(n))], unlessIssuedAfter: 0)
            precondition(issued)
        }
        return store
    }

    @Test(arguments: StoreUnderTest.all)
    func aClaimedMailIsNobodyElsesUntilItsLeaseEnds(_ s: StoreUnderTest) async throws {
        let store = try await queued(s, 2)
        let first = try await store.claimDueMail(now: 200, leaseUntil: 300, limit: 1)
        #expect(first.map(\.id) == [Sample.id(50_000)] && first.first?.sealedMessage == [1, 2, 3])
        #expect(try await store.claimDueMail(now: 200, leaseUntil: 300, limit: 5).map(\.id) == [Sample.id(50_001)])
        #expect(try await store.claimDueMail(now: 299, leaseUntil: 400, limit: 5).isEmpty)
        #expect(try await store.claimDueMail(now: 300, leaseUntil: 400, limit: 5).count == 2)
    }

    @Test(arguments: StoreUnderTest.all)
    func eachMailGoesToOneWorkerAcrossNodes(_ s: StoreUnderTest) async throws {
        let (first, second) = try await s.makeNodes()
        _ = try await queue(30, in: first)
        let claimed = try await withThrowingTaskGroup(of: [String].self) { group in
            for node in Array(repeating: first, count: 8) + Array(repeating: second, count: 8) {
                group.addTask { try await node.claimDueMail(now: 200, leaseUntil: 300, limit: 3).map(\.id) }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(claimed.count == 30 && Set(claimed).count == 30)
    }

    @Test(arguments: StoreUnderTest.all)
    func outcomesMoveMailsAlongAndASentMessageIsDropped(_ s: StoreUnderTest) async throws {
        let store = try await queued(s, 3)
        let ids = try await store.claimDueMail(now: 200, leaseUntil: 300, limit: 5).map(\.id)
        try await store.recordDelivery(id: ids[0], .sent, now: 201)
        try await store.recordDelivery(id: ids[1], .retry(at: 250, error: "451 try later"), now: 201)
        try await store.recordDelivery(id: ids[2], .failed(error: "550 no such user"), now: 201)
        try await store.recordDelivery(id: ids[0], .retry(at: 250, error: "late"), now: 202)  // not pending: ignored
        let all = try await store.mailSummaries(status: nil, limit: 10)
        #expect(all.map(\.status) == [.failed, .pending, .sent])
        #expect(all.map(\.attempts) == [1, 1, 1] && all.map(\.lastError) == ["550 no such user", "451 try later", ""])
        #expect(try await store.mailSummaries(status: .pending, limit: 10).map(\.id) == [ids[1]])
        #expect(try await store.claimDueMail(now: 250, leaseUntil: 300, limit: 5).map(\.id) == [ids[1]])
        let backlog = try await store.outboxBacklog()
        #expect(backlog.pending == 1 && backlog.oldestCreatedAt == 101)
    }

    @Test(arguments: StoreUnderTest.all)
    func aReleasedMailIsDueAtOnceWithoutAnAttempt(_ s: StoreUnderTest) async throws {
        let store = try await queued(s, 1)
        let id = try await store.claimDueMail(now: 200, leaseUntil: 900, limit: 5)[0].id
        try await store.recordDelivery(id: id, .released, now: 201)
        let again = try await store.claimDueMail(now: 201, leaseUntil: 900, limit: 5)
        #expect(again.map(\.id) == [id] && again[0].attempts == 0)
    }

    @Test(arguments: StoreUnderTest.all)
    func aFailedMailCanBeQueuedAgainWithAFreshRetryWindow(_ s: StoreUnderTest) async throws {
        let store = try await queued(s, 1)
        let id = try await store.claimDueMail(now: 200, leaseUntil: 300, limit: 5)[0].id
        #expect(try await !store.requeueFailedMail(id: id, now: 210))
        try await store.recordDelivery(id: id, .failed(error: "550"), now: 201)
        #expect(try await store.requeueFailedMail(id: id, now: 500))
        #expect(try await !store.requeueFailedMail(id: id, now: 500))
        let mail = try #require(try await store.claimDueMail(now: 500, leaseUntil: 600, limit: 5).first)
        #expect(mail.queuedAt == 500 && mail.createdAt == 100 && mail.attempts == 1)
    }

    @Test(arguments: StoreUnderTest.all)
    func finishedMailIsPurgedPendingMailNever(_ s: StoreUnderTest) async throws {
        let store = try await queued(s, 3)
        let ids = try await store.claimDueMail(now: 200, leaseUntil: 300, limit: 2).map(\.id)
        try await store.recordDelivery(id: ids[0], .sent, now: 201)
        try await store.recordDelivery(id: ids[1], .failed(error: "550"), now: 202)
        #expect(try await store.purgeMail(finishedBefore: 202, limit: 10) == 1)
        #expect(try await store.purgeMail(finishedBefore: 10_000, limit: 10) == 1)
        #expect(try await store.mailSummaries(status: nil, limit: 10).map(\.status) == [.pending])
    }
}
