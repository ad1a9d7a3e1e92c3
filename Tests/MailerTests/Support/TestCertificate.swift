import Foundation

/// A self-signed certificate for `localhost` and 127.0.0.1, made with the openssl CLI.
struct TestCertificate {
    let certificatePath: String
    let keyPath: String

    init(in directory: TemporaryDirectory) throws {
        certificatePath = directory.path("cert.pem")
        keyPath = directory.path("key.pem")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-nodes", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
            "-days", "1", "-keyout", keyPath, "-out", certificatePath,
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestSupportError("openssl failed with status \(process.terminationStatus)")
        }
    }
}

/// A failure of the test harness itself (not of the code under test).
struct TestSupportError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
