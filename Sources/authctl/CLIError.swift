import ArgumentParser
import AuthCore
import Foundation

/// A failure reported as one line on stderr with a meaningful exit code (sysexits.h).
struct CLIError: Error {
    let exitCode: Int32
    let message: String

    static func usage(_ message: String) -> CLIError { CLIError(exitCode: 64, message: message) }
    static func badData(_ message: String) -> CLIError { CLIError(exitCode: 65, message: message) }
    static func noInput(_ message: String) -> CLIError { CLIError(exitCode: 66, message: message) }
    static func failure(_ message: String) -> CLIError { CLIError(exitCode: 1, message: message) }
}

/// A command whose failures become one line on stderr and the matching exit code.
protocol AdminCommand: AsyncParsableCommand {
    func execute() async throws
}

extension AdminCommand {
    mutating func run() async throws {
        do {
            try await execute()
        } catch let error as CLIError {
            FileHandle.standardError.write(Data("authctl: \(error.message)\n".utf8))
            throw ExitCode(error.exitCode)
        } catch let error as AuthError {
            // What an admin can get wrong (no such account, a weak password, a taken email): bad data.
            FileHandle.standardError.write(Data("authctl: \(error.message)\n".utf8))
            throw ExitCode(65)
        } catch let error as ExitCode {
            throw error
        } catch {
            FileHandle.standardError.write(Data("authctl: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
