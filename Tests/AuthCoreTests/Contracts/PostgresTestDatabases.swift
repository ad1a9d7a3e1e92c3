import Foundation
import Logging
import PostgresNIO
@testable import PostgresSupport

@testable import PostgresStore

/// Fresh databases on the throwaway cluster `AUTH_TEST_POSTGRES_URL` names (a superuser URL;
/// `scripts/postgres-test-cluster.sh start` prints one): each test gets its own, so no state
/// leaks between tests.
enum PostgresTestDatabases {
    static let adminURL: PostgresDatabaseURL? = ProcessInfo.processInfo.environment["AUTH_TEST_POSTGRES_URL"].map {
        try! PostgresDatabaseURL($0)
    }

    /// The cluster's maintenance database, for `CREATE DATABASE` (which tests running in parallel
    /// wait their turn for); open until the tests end.
    private static let admin = Task { () async throws -> PostgresPool? in
        guard let adminURL else { return nil }
        return try await PostgresPool.open(
            adminURL, poolSize: 2, timeout: .seconds(15), leaseTimeout: .seconds(300), logger: Logger(label: "test.admin"))
    }

    /// The URL of a new, empty database.
    static func create() async throws -> PostgresDatabaseURL {
        guard var url = adminURL, let admin = try await admin.value else {
            throw PostgresStoreError("AUTH_TEST_POSTGRES_URL is not set")
        }
        url.database = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let name = url.database
        try await admin.connection { try await $0.run("CREATE DATABASE \(unescaped: name)") }
        return url
    }

    /// A store on a new, empty database.
    static func store() async throws -> PostgresAuthStore {
        try await PostgresAuthStore.open(create(), poolSize: 4)
    }
}
