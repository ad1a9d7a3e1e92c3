/// The account an admin names by its email or its id; `not_found` when there is none.
public struct FindAccount: Sendable {
    let accounts: any AccountStore

    public func callAsFunction(_ name: String) async throws -> Account {
        let found =
            name.contains("@")
            ? try await accounts.account(email: (try? Email.normalize(name)) ?? name)
            : try await accounts.account(id: name.lowercased())
        guard let found else { throw AuthError(.notFound, "no account \(name)") }
        return found
    }
}
