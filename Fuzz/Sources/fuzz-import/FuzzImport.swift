import AuthCore
import AuthTokens
import Foundation
import WireFormat

/// A fixed "now" for records without a creation time.
let now: Int64 = 1_800_000_000

/// One input is one import file. Its format is detected, and every reader reads it (a file can
/// be given with any `--format`). Each record a reader accepts must come back unchanged from this
/// service's own export, as JSON Lines and as CSV: what `authctl import` takes in, `authctl export`
/// can move out again.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzImport(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: data == nil ? 0 : size), as: UTF8.self)
    _ = ImportFormat.detect(text)
    for format in ImportFormat.allCases {
        for row in format.read(text, now: now) {
            precondition(row.line >= 1, "\(format) gave line \(row.line)")
            guard case .success(let record) = row.result else { continue }
            roundTrip(record, from: format)
        }
    }
    _ = CSV.parse(text)
    if let seconds = Timestamp.parse(text, naiveAsUTC: true) {
        let formatted = Timestamp.rfc3339(seconds)
        precondition(Timestamp.parse(formatted) == seconds, "\(seconds) formats as \(formatted), which reads back otherwise")
    }
    return 0
}

/// Exports `record` in both of this service's formats and imports it again.
func roundTrip(_ record: TransferRecord, from format: ImportFormat) {
    let jsonl = ImportFormat.jsonl.read(record.jsonLine + "\n", now: 0)
    precondition(jsonl.count == 1, "\(format) record exports to \(jsonl.count) JSON lines")
    let fromJSON = try? jsonl[0].result.get()
    precondition(fromJSON == record, "\(format) record changes through JSON Lines: \(jsonl[0].result)")

    let csvText = TransferRecord.fields.joined(separator: ",") + "\r\n" + record.csvRow + "\r\n"
    let csv = ImportFormat.csv.read(csvText, now: 0)
    precondition(csv.count == 1, "\(format) record exports to \(csv.count) CSV rows")
    let fromCSV = try? csv[0].result.get()
    precondition(fromCSV == record, "\(format) record changes through CSV: \(csv[0].result)")
    precondition(ImportFormat.detect(csvText) == .csv && ImportFormat.detect(record.jsonLine) == .jsonl)
}
