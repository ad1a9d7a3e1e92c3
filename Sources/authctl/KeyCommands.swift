import ArgumentParser
import AuthCore
import AuthTokens
import Foundation
import WireFormat

struct Keys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List, rotate, retire and export the signing keys.",
        subcommands: [List.self, Rotate.self, Retire.self, ExportPublic.self])

    struct KeyBody: Encodable {
        var kid: String
        var state: String
        var createdAt: String
        var activatesAt: String?
        var deactivatedAt: String?

        init(_ key: SigningKey) {
            kid = key.kid
            state = key.state.rawValue
            createdAt = Timestamp.rfc3339(key.createdAt)
            activatesAt = key.activatesAt.map(Timestamp.rfc3339)
            deactivatedAt = key.deactivatedAt.map(Timestamp.rfc3339)
        }
    }

    struct List: AdminCommand {
        static let configuration = CommandConfiguration(abstract: "Every signing key with its state.")
        @OptionGroup var options: DatabaseOptions

        func execute() async throws {
            let keys = try await options.openStore().signingKeys().map(KeyBody.init)
            if options.json { return Output.json(keys) }
            Output.table(
                ["KID", "STATE", "CREATED", "ACTIVATES", "DEACTIVATED"],
                keys.map { [$0.kid, $0.state, $0.createdAt, $0.activatesAt ?? "-", $0.deactivatedAt ?? "-"] })
        }
    }

    struct Rotate: AdminCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a signing key, published at once and signing after a delay.",
            discussion: """
                The new key is in the JWKS at once and becomes the signing key after --activate-in seconds,
                which gives verifiers time to fetch it. A running server picks the change up within 5 s.
                """)
        @OptionGroup var options: DatabaseOptions
        @Option(help: "Seconds until the new key signs (0 = now).")
        var activateIn: Int64 = 900

        func validate() throws {
            guard (0...31_536_000).contains(activateIn) else {
                throw ValidationError("--activate-in must be from 0 to 31536000 seconds")
            }
        }

        func execute() async throws {
            let admin = try await options.administration().admin
            let key = try await admin.rotateKey(with: KeyRing(keyEncryptionKey: try options.loadKey()))(activateIn: activateIn)
            if options.json { return Output.json(KeyBody(key)) }
            print(key.kid)
            Output.note(
                activateIn == 0
                    ? "the new key signs from now on" : "the new key signs from \(Timestamp.rfc3339(key.activatesAt ?? 0))")
        }
    }

    struct Retire: AdminCommand {
        static let configuration = CommandConfiguration(
            abstract: "Take a key out of the JWKS (refused for the current key).")
        @OptionGroup var options: DatabaseOptions
        // A kid is base64url and may start with "-": take it as given, not as an option.
        @Argument(parsing: .allUnrecognized, help: "The key's kid.") var kidArguments: [String]

        var kid: String { kidArguments.first ?? "" }

        func validate() throws {
            guard kidArguments.count == 1 else { throw ValidationError("give exactly one kid") }
        }

        func execute() async throws {
            guard try await options.administration().admin.retireKey(kid: kid) else {
                return Output.note("\(kid) is already retired")
            }
            Output.note("retired \(kid); tokens it signed no longer verify")
        }
    }

    struct ExportPublic: AdminCommand {
        static let configuration = CommandConfiguration(
            commandName: "export-public", abstract: "Write the published keys as a JWKS (stdout by default).")
        @OptionGroup var options: DatabaseOptions
        @Option(help: "Write to this file instead of stdout.") var output: String?
        @Option(help: "The alg to name in each key: EdDSA or Ed25519.") var alg: String = "EdDSA"

        func execute() async throws {
            guard let algorithm = JWSAlgorithm(rawValue: alg) else { throw CLIError.usage("--alg must be EdDSA or Ed25519") }
            let keys = try await options.openStore().signingKeys().filter(\.isPublished)
            let jwks = JWKSet(keys: keys.map { JWK(publicKey: $0.publicKey, algorithm: algorithm) }).json + "\n"
            guard let output else { return print(jwks, terminator: "") }
            do {
                try Data(jwks.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
            } catch {
                throw CLIError.failure("cannot write \(output)")
            }
            Output.note("wrote \(keys.count) keys to \(output)")
        }
    }
}
