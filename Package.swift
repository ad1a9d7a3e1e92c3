// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "auth",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "AuthServer", targets: ["AuthServer"]),
        .executable(name: "ListingsServer", targets: ["ListingsServer"]),
        .executable(name: "authctl", targets: ["authctl"]),
        .library(name: "AuthTokens", targets: ["AuthTokens"]),
        .library(name: "WireFormat", targets: ["WireFormat"]),
        .library(name: "AuthCore", targets: ["AuthCore"]),
        .library(name: "PostgresStore", targets: ["PostgresStore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: ["FullFoundation"]),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0", traits: ["CommandLineArguments"]),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    ],
    targets: [
        .systemLibrary(name: "CSodium", pkgConfig: "libsodium", providers: [.apt(["libsodium-dev"])]),
        .systemLibrary(name: "CArgon2", pkgConfig: "libargon2", providers: [.apt(["libargon2-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CCrypt", pkgConfig: "libxcrypt", providers: [.apt(["libcrypt-dev"])]),
        .executableTarget(name: "EmbedFileTool"),
        .plugin(name: "EmbedFiles", capability: .buildTool(), dependencies: ["EmbedFileTool"]),

        // prctl and posix_spawn's close-from, which Swift can't call: for the token service's argon2 workers.
        .target(name: "CProcessControl"),

        // libsodium behind a small Swift surface.
        .target(name: "AuthCrypto", dependencies: ["CSodium"]),
        // The strict JSON parser and writer, RFC 3339 times: what tokens, servers and the CLI share.
        .target(name: "WireFormat"),
        // The strict access-token format and verifier any service can depend on (libsodium only).
        .target(name: "AuthTokens", dependencies: ["AuthCrypto", "WireFormat"]),
        // The domain: accounts, passwords, sessions, keys, storage. No HTTP here.
        .target(
            name: "AuthCore",
            dependencies: [
                "AuthCrypto", "AuthTokens", "WireFormat", "CArgon2", "CCrypt", "COpenSSL", "SQLiteSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            plugins: ["EmbedFiles"]
        ),
        // A SQLite file for a service's store: short reads on the calling thread.
        .target(name: "SQLiteSupport", dependencies: ["CSQLiteReads", .product(name: "GRDB", package: "GRDB.swift")]),
        // SQLite reads that take only what the page cache holds, for reads on an event loop.
        .target(name: "CSQLiteReads", linkerSettings: [.linkedLibrary("sqlite3")]),
        // A PostgreSQL database for a service's store: URL, pool, migrations, outages as errors.
        .target(
            name: "PostgresSupport",
            dependencies: [
                .product(name: "PostgresNIO", package: "postgres-nio"),
                // For its circuit-breaker error, which PostgresNIO passes through as it is.
                .product(name: "_ConnectionPoolModule", package: "postgres-nio"),
                // Its event loops, among which the pool's connections are split.
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The stores on PostgreSQL, for several nodes sharing one database.
        .target(
            name: "PostgresStore",
            dependencies: [
                "AuthCore", "PostgresSupport",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Mail: RFC 5322 messages and an SMTP client (STARTTLS, implicit TLS, AUTH) on SwiftNIO.
        .target(
            name: "Mailer",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        // What both servers share: JSON errors, body decoding, settings, metrics.
        .target(
            name: "ServerSupport",
            dependencies: [
                "WireFormat", "PostgresSupport",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "AuthServer",
            dependencies: [
                "AuthCore", "AuthTokens", "AuthCrypto", "ServerSupport", "Mailer", "WireFormat", "PostgresStore", "PostgresSupport",
                "CProcessControl",
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),

        .executableTarget(
            name: "ListingsServer",
            dependencies: [
                "AuthTokens", "ServerSupport", "WireFormat", "PostgresSupport", "SQLiteSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),

        .executableTarget(
            name: "authctl",
            dependencies: [
                "AuthCore", "AuthCrypto", "AuthTokens", "WireFormat", "PostgresStore", "PostgresSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // `make bench`: hot paths against their floors (not a product; never a dependency).
        .executableTarget(name: "auth-bench", dependencies: ["AuthCore", "AuthCrypto", "AuthTokens"]),

        .testTarget(name: "AuthTokensTests", dependencies: ["AuthTokens", "AuthCrypto", "WireFormat"]),
        .testTarget(name: "WireFormatTests", dependencies: ["WireFormat"]),
        .testTarget(
            name: "MailerTests",
            dependencies: [
                "Mailer",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "AuthCoreTests",
            dependencies: [
                "AuthCore", "AuthCrypto", "AuthTokens", "PostgresStore", "PostgresSupport", "SQLiteSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "ListingsServerTests",
            dependencies: [
                "ListingsServer", "AuthTokens", "AuthCrypto",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "AuthServerTests",
            dependencies: [
                "AuthServer", "AuthCore",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
    ]
)
