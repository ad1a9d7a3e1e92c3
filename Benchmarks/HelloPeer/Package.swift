// swift-tools-version:6.1
import PackageDescription

// A bare Hummingbird 2 hello-world server, the baseline of `make bench`'s HTTP ratios (issue #17).
// Its own package, like Benchmarks/JWTKitPeer: the main package never names it.
let package = Package(
    name: "HelloPeer",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", exact: "2.28.1")
    ],
    targets: [
        .executableTarget(
            name: "HelloPeer",
            dependencies: [.product(name: "Hummingbird", package: "hummingbird")]
        )
    ]
)
