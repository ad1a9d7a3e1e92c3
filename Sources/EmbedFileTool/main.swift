import Foundation

// Writes the text file INPUT as the Swift string constant NAME into OUTPUT.
let arguments = CommandLine.arguments
guard arguments.count == 4 else {
    FileHandle.standardError.write(Data("usage: EmbedFileTool INPUT OUTPUT.swift NAME\n".utf8))
    exit(64)
}
let text = try String(contentsOfFile: arguments[1], encoding: .utf8)
let delimiter = "#####"
precondition(!text.contains("\"\"\"\(delimiter)"), "\(arguments[1]) contains the raw string delimiter")
let source = """
    // Generated from \((arguments[1] as NSString).lastPathComponent) by the EmbedFiles plugin. Do not edit.

    let \(arguments[3]) = \(delimiter)\"\"\"
    \(text)
    \"\"\"\(delimiter)

    """
try source.write(toFile: arguments[2], atomically: true, encoding: .utf8)
