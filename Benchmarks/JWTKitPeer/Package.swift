// swift-tools-version:6.1
import PackageDescription

// jwt-kit as a peer in `make bench` (issue #7). Its own package, so the product
// never depends on jwt-kit: the main package does not name this one, nor jwt-kit.
let package = Package(
    name: "JWTKitPeer",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(url: "https://github.com/vapor/jwt-kit.git", exact: "5.8.0")
    ],
    targets: [
        .executableTarget(
            name: "JWTKitPeer",
            dependencies: [.product(name: "JWTKit", package: "jwt-kit")]
        )
    ]
)
