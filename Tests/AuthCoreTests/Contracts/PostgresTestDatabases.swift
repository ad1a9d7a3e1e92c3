import Foundation
import Logging
import PostgresNIO

@testable import PostgresStore

/// Fresh databases on the throwaway cluster `AUTH_TEST_POSTGRES_URL` names (a superuser URL;
/// `scripts/postgres-test-cluster.sh start` prints one): each test gets its own, so no state
/// leaks between tests.
enum PostgresTestDatabases {
    static let adminURL: PostgresDatabaseURL? = ProcessInfo.processInfo.environment["AUTH_TEST_POSTGRES_URL"].map {
        try! PostgresDatabaseURL($0)
    }

    /// A client of the cluster's maintenance database, for `CREATE DATABASE`; it runs until the
    /// tests end.
    private static let admin: PostgresClient? = adminURL.map {
        PostgresClient(configuration: $0.clientConfiguration(poolSize: 2), backgroundLogger: Logger(label: "test.admin"))
    }
    private static let adminRunning = Task { if let admin { _ = await PostgresAuthStore.start(admin) } }

    /// The URL of a new, empty database.
    static func create() async throws -> PostgresDatabaseURL {
        guard var url = adminURL, let admin else { throw PostgresStoreError("AUTH_TEST_POSTGRES_URL is not set") }
        await adminRunning.value
        url.database = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try await admin.query("CREATE DATABASE \(unescaped: url.database)")
        return url
    }

    /// A store on a new, empty database.
    static func store() async throws -> PostgresAuthStore {
        try await PostgresAuthStore.open(create(), poolSize: 4)
    }
}
