/// Every account, in email order (`authctl users list`), read a page at a time.
public struct ListAccounts: Sendable {
    let accounts: any AccountStore
    static let page = 1_000

    public func callAsFunction() async throws -> [Account] {
        var all: [Account] = []
        var after: String?
        while true {
            let page = try await accounts.accounts(afterEmail: after, limit: Self.page)
            all += page
            guard page.count == Self.page, let last = page.last else { return all }
            after = last.email
        }
    }
}
