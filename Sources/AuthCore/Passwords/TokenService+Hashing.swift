extension TokenService {
    /// Whether `password` matches `stored`, checked on the hashing pool with the memory the hash needs.
    func verifyOnPool(_ password: Password, against stored: String) async throws -> Bool {
        let hasher = self.hasher
        return try await hashingPool.run(memory: PasswordHashScheme.memoryBytes(of: stored)) {
            hasher.verify(password, against: stored)
        }
    }

    /// A new argon2id hash of `password`, computed on the hashing pool.
    func hashOnPool(_ password: Password) async throws -> String {
        let hasher = self.hasher
        return try await hashingPool.run(memory: hasher.parameters.memoryBytes) { try hasher.hash(password) }
    }
}
