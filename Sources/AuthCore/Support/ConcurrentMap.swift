import Foundation

extension Array where Element: Sendable {
    /// `transform` of every element, in order, computed on all cores in chunks: for per-record
    /// work of bulk imports, where each element is independent of the others.
    public func concurrentMap<T: Sendable>(_ transform: @Sendable (Element) -> T) -> [T] {
        let chunkSize = 4_096
        guard count > chunkSize else { return map(transform) }
        let chunks = (count + chunkSize - 1) / chunkSize
        let results = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
        results.initialize(repeating: nil)
        defer { results.deallocate() }
        nonisolated(unsafe) let output = results  // each chunk writes only its own slots
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            for index in (chunk * chunkSize)..<Swift.min((chunk + 1) * chunkSize, count) {
                output[index] = transform(self[index])
            }
        }
        return results.map { $0! }
    }
}
