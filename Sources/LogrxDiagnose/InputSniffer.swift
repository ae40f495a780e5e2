import LogrxVocabulary
import LogrxIngest

/// Looks at the first bytes of an input before it is read as lines, and gives them back: a
/// gzip stream (standard input from `oc logs … | gzip`, which no file name announces) is
/// decoded, and a binary file is not read as a log at all.
///
/// Binary as ripgrep decides it, but kinder to logs: a known magic number (ELF, SQLite, PNG,
/// zip), or a first 8 KiB of which a quarter is NUL bytes (ripgrep takes any NUL; a node log
/// cut short by a crash is padded with a few, and is still a log).
public struct SniffedSource<Upstream: ByteSource>: ByteSource {
  public enum Kind: Equatable, Sendable { case text, gzip, binary(String) }

  /// The source read from; hand it back to the caller when done (a value source, such as a
  /// tar entry, must go on from where the reading stopped).
  public internal(set) var upstream: Upstream
  private var head: [UInt8] = []
  private var headOffset = 0

  /// How much is looked at.
  static var window: Int { 8 * 1024 }

  public init(_ upstream: Upstream) { self.upstream = upstream }

  /// Reads up to ``window`` bytes (kept for ``read(into:)``) and says what they are.
  public mutating func sniff() throws(LogrxError) -> Kind {
    let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.window, alignment: 1)
    defer { chunk.deallocate() }
    while head.count < Self.window {
      let count = try upstream.read(into: UnsafeMutableRawBufferPointer(rebasing: chunk[0..<(Self.window - head.count)]))
      if count == 0 { break }
      head += chunk[0..<count]
    }
    if head.starts(with: [0x1F, 0x8B]) { return .gzip }
    if head.starts(with: [0x7F, 0x45, 0x4C, 0x46]) { return .binary("an ELF executable") }
    if head.starts(with: Array("SQLite format 3\u{0}".utf8)) { return .binary("a SQLite database") }
    if head.starts(with: [0x89, 0x50, 0x4E, 0x47]) || head.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return .binary("an image or zip file") }
    // A log may hold a few NUL bytes (a node log cut short by a crash is padded with them):
    // only a head of at least 512 bytes, a quarter of them NUL, is taken for binary data.
    if head.count >= 512, head.lazy.filter({ $0 == 0 }).count * 4 >= head.count {
      return .binary("mostly NUL bytes in its first 8 KiB")
    }
    return .text
  }

  public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(LogrxError) -> Int {
    if headOffset < head.count {
      let count = min(buffer.count, head.count - headOffset)
      head.withUnsafeBytes { bytes in
        buffer.baseAddress!.copyMemory(from: bytes.baseAddress! + headOffset, byteCount: count)
      }
      headOffset += count
      return count
    }
    return try upstream.read(into: buffer)
  }
}
