import CLibFuzzer
import Foundation

// SwiftPM gives every executable its own `main`, so libFuzzer's driver is started here.
var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzImport(data, size) })
