// swift-tools-version:6.1
// libFuzzer targets for the parsers that read untrusted text: access tokens (JWS) and JWKS,
// stored password hashes (PHC and legacy), and import files. Built and run by `Fuzz/run.sh`
// (`make fuzz`, `make fuzz-ci`) with `-sanitize=fuzzer,address`; not part of the main build.
import PackageDescription

/// Every module, the library under test included, is compiled with coverage and AddressSanitizer
/// by `run.sh` (`-Xswiftc -sanitize=address -Xswiftc -sanitize-coverage=…`); only these executables
/// link libFuzzer. `-sanitize=fuzzer` on the command line would also reach the main package's
/// build-time tool (EmbedFileTool, which has a `main.swift`), and SwiftPM gives each executable a
/// `main` of its own, so each target's `main.swift` starts libFuzzer's driver itself
/// (`LLVMFuzzerRunDriver`) with its `LLVMFuzzerTestOneInput`.
let fuzzer: [LinkerSetting] = [.unsafeFlags(["-sanitize=fuzzer,address"])]

let package = Package(
    name: "auth-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "auth", path: "..")
    ],
    targets: [
        // The declaration of LLVMFuzzerRunDriver (libFuzzer is linked by `-sanitize=fuzzer`).
        .systemLibrary(name: "CLibFuzzer"),
        // AccessTokenVerifier.verify (with and without its cache), JSONValue against JSONSerialization, JWKS parsing.
        .executableTarget(
            name: "fuzz-token",
            dependencies: [
                .product(name: "AuthTokens", package: "auth"), .product(name: "WireFormat", package: "auth"), "CLibFuzzer",
            ],
            linkerSettings: fuzzer
        ),
        // PasswordHashScheme: identify, profile and verify over every stored-hash format.
        .executableTarget(
            name: "fuzz-hash",
            dependencies: [.product(name: "AuthCore", package: "auth"), "CLibFuzzer"],
            linkerSettings: fuzzer
        ),
        // ImportFormat.detect and every import reader, with an export → import round trip.
        .executableTarget(
            name: "fuzz-import",
            dependencies: [
                .product(name: "AuthCore", package: "auth"), .product(name: "AuthTokens", package: "auth"),
                .product(name: "WireFormat", package: "auth"), "CLibFuzzer",
            ],
            linkerSettings: fuzzer
        ),
    ]
)
