import NIOCore
import NIOPosix
import NIOSSL

/// Builds the TLS client configuration: full certificate verification against the
/// system roots plus the optional extra CA file.
enum TLSSetup {
    /// The context, built on NIO's blocking-work threads: it reads the system's CA bundle and the
    /// extra CA file, and tasks run on the event loops, which must not wait for the disk.
    static func makeContext(extraCAFile: String?) async throws -> NIOSSLContext {
        try await NIOThreadPool.singleton.runIfActive { try makeContextNow(extraCAFile: extraCAFile) }
    }

    private static func makeContextNow(extraCAFile: String?) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = .fullVerification
        configuration.trustRoots = .default
        if let extraCAFile {
            let certificates: [NIOSSLCertificate]
            do {
                certificates = try NIOSSLCertificate.fromPEMFile(extraCAFile)
            } catch {
                throw SMTPError(.permanent, step: .configuration, message: "cannot load CA file \(extraCAFile): \(error)")
            }
            guard !certificates.isEmpty else {
                throw SMTPError(.permanent, step: .configuration, message: "CA file \(extraCAFile) has no certificates")
            }
            configuration.additionalTrustRoots = [.certificates(certificates)]
        }
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw SMTPError(.permanent, step: .configuration, message: "cannot create TLS context: \(error)")
        }
    }

    /// The name to send for SNI and verify against, or nil for an IP address
    /// (then the certificate is verified against the peer's IP address).
    static func serverHostname(for host: String) -> String? {
        (try? SocketAddress(ipAddress: host, port: 0)) == nil ? host : nil
    }

    /// Adds the TLS handler at the front of the pipeline; call on the channel's event loop.
    static func addHandler(to channel: any Channel, context: NIOSSLContext, host: String) throws {
        let handler = try NIOSSLClientHandler(context: context, serverHostname: serverHostname(for: host))
        try channel.pipeline.syncOperations.addHandler(handler, position: .first)
    }
}
