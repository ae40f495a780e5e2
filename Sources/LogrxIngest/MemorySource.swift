import LogrxMatching
import LogrxVocabulary

/// Bytes in memory as a source, handed out in chunks of at most `chunk` bytes.
public struct MemorySource: ByteSource {
  let bytes: [UInt8]
  var offset = 0
  let chunk: Int

  public init(_ bytes: [UInt8], chunk: Int = .max) {
    self.bytes = bytes
    self.chunk = max(1, chunk)
  }

  public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(LogrxError) -> Int {
    let count = min(buffer.count, bytes.count - offset, chunk)
    guard count > 0 else { return 0 }
    bytes.withUnsafeBytes { buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[offset..<(offset + count)])) }
    offset += count
    return count
  }
}
