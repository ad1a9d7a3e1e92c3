import Foundation
import PackagePlugin

/// Compiles package files into the target as string constants, so each file stays
/// the one source of truth and the binaries need no resource bundle:
/// `schema.sql` as `schemaSQL`, `Resources/common-passwords.txt` as `commonPasswordsText`.
@main
struct EmbedFiles: BuildToolPlugin {
    static let files = [("schema.sql", "schemaSQL"), ("Resources/common-passwords.txt", "commonPasswordsText")]

    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        let tool = try context.tool(named: "EmbedFileTool").url
        return Self.files.map { path, constant in
            let input = context.package.directoryURL.appending(path: path)
            let output = context.pluginWorkDirectoryURL.appending(path: "Embedded_\(constant).swift")
            return .buildCommand(
                displayName: "Embedding \(path)",
                executable: tool,
                arguments: [input.path(), output.path(), constant],
                inputFiles: [input],
                outputFiles: [output]
            )
        }
    }
}
