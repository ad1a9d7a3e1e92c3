// swift-tools-version:6.1
import PackageDescription

// The listings page "written the way many Swift teams would" (issue #17): Vapor 4, vapor/jwt
// verifying the token service's EdDSA access tokens from its JWKS, Fluent on SQLite, Vapor's
// default request logging. A peer in `make bench`, its own package like Benchmarks/JWTKitPeer:
// the main package never names it, nor Vapor.
let package = Package(
    name: "VaporPeer",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", exact: "4.122.3"),
        .package(url: "https://github.com/vapor/jwt.git", exact: "5.2.0"),
        .package(url: "https://github.com/vapor/fluent.git", exact: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", exact: "4.9.0"),
    ],
    targets: [
        .executableTarget(
            name: "VaporPeer",
            dependencies: [
                .product(name: "Vapor", package: "vapor"),
                .product(name: "JWT", package: "jwt"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
            ]
        )
    ]
)
