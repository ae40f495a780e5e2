import LogrxMatching
import LogrxVocabulary

/// Reads a tar archive (ustar, GNU long names, pax `path=`) from any byte source, entry by
/// entry: `must-gather.tar.gz` is scanned without unpacking it.
///
/// The reader is itself the byte source of the current entry: after ``nextEntry()`` returns
/// an entry, reading gives its bytes and then 0; the next call skips what is left of it.
///
/// Every header field is bounded: a size that does not fit in 62 bits is a damaged archive,
/// and a long name or pax header over ``maxNameData`` is skipped (streamed past, never held
/// in memory) with a note in ``problems``. Memory stays at a 64 KiB buffer whatever the
/// archive claims.
public struct TarReader<Upstream: ByteSource>: ByteSource {
  public struct Entry: Sendable, Equatable {
    public var path: String
    public var size: Int
    public var isFile: Bool
  }

  var upstream: Upstream
  let path: String
  /// Bytes of the current entry not yet read, and the padding after it.
  private var remaining = 0
  private var padding = 0
  private var ended = false
  /// Problems that did not stop the archive (an entry whose long name was too long to read).
  public private(set) var problems: [String] = []
  /// The most bytes of a GNU long name or a pax header read into memory (1 MiB; a path is at
  /// most 4 KiB on Linux).
  public static var maxNameData: Int { 1 << 20 }

  public init(_ upstream: Upstream, path: String) {
    self.upstream = upstream
    self.path = path
  }

  /// The next entry, or nil at the end of the archive.
  /// - Throws: ``LogrxError`` when the archive is damaged or cut short.
  public mutating func nextEntry() throws(LogrxError) -> Entry? {
    guard !ended else { return nil }
    try skip(remaining + padding)
    remaining = 0
    padding = 0
    var longName: String?
    while true {
      guard let header = try block() else {
        ended = true
        return nil
      }
      if header.allSatisfy({ $0 == 0 }) {
        ended = true
        return nil
      }
      guard let size = Self.size(header[124..<136]) else {
        throw .corruptArchive(path: path, reason: "a header has a bad size field; the archive is damaged")
      }
      let type = header[156]
      let padded = (size + 511) / 512 * 512
      switch type {
      case UInt8(ascii: "L"), UInt8(ascii: "x"):
        // A GNU long name or a pax header: the data names the next entry.
        guard size <= Self.maxNameData else {
          try skip(padded)
          problems.append(
            "an entry's \(type == UInt8(ascii: "L") ? "long name" : "pax header") claims \(size) bytes (more than \(Self.maxNameData)); it was skipped and the entry keeps its short name")
          longName = nil
          continue
        }
        let data = try read(count: size)
        try skip(padded - size)
        if type == UInt8(ascii: "L") {
          longName = String(decoding: data.prefix { $0 != 0 }, as: UTF8.self)
        } else if let path = Self.paxPath(data) {
          longName = path
        }
        continue
      default:
        var name = Self.string(header[0..<100])
        let magic = Self.string(header[257..<263])
        if magic.hasPrefix("ustar") {
          let prefix = Self.string(header[345..<500])
          if !prefix.isEmpty { name = prefix + "/" + name }
        }
        remaining = size
        padding = padded - size
        let isFile = type == UInt8(ascii: "0") || type == 0 || type == UInt8(ascii: "7")
        return Entry(path: longName ?? name, size: size, isFile: isFile)
      }
    }
  }

  /// Reads the current entry's bytes.
  public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(LogrxError) -> Int {
    guard remaining > 0, buffer.count > 0 else { return 0 }
    let count = try upstream.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<min(buffer.count, remaining)]))
    if count == 0 { throw .corruptArchive(path: path, reason: "it ends inside an entry (truncated?)") }
    remaining -= count
    return count
  }

  private mutating func block() throws(LogrxError) -> [UInt8]? {
    let data = try read(count: 512)
    if data.isEmpty { return nil }
    guard data.count == 512 else { throw .corruptArchive(path: path, reason: "it ends inside a header (truncated?)") }
    return data
  }

  private mutating func read(count: Int) throws(LogrxError) -> [UInt8] {
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(count, 1), alignment: 16)
    defer { buffer.deallocate() }
    var filled = 0
    while filled < count {
      let got = try upstream.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled..<count]))
      if got == 0 { break }
      filled += got
    }
    return Array(buffer[0..<filled])
  }

  private mutating func skip(_ count: Int) throws(LogrxError) {
    guard count > 0 else { return }
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
    defer { buffer.deallocate() }
    var left = count
    while left > 0 {
      let got = try upstream.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<min(left, buffer.count)]))
      if got == 0 { throw .corruptArchive(path: path, reason: "it ends inside an entry (truncated?)") }
      left -= got
    }
  }

  static func string(_ bytes: ArraySlice<UInt8>) -> String {
    String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
  }

  /// Octal digits (space or NUL terminated), or GNU base-256 when the high bit is set; nil
  /// for anything else, a negative base-256 value, or a size of 2^62 bytes or more.
  static func size(_ field: ArraySlice<UInt8>) -> Int? {
    if let first = field.first, first & 0x80 != 0 {
      // Base-256: the rest of the first byte is the sign and top bits; 0x80 alone is positive.
      guard first == 0x80 else { return nil }
      var value = 0
      for byte in field.dropFirst() {
        guard value < 1 << 54 else { return nil }
        value = value << 8 | Int(byte)
      }
      return value
    }
    var value = 0
    var digits = 0
    for byte in field {
      if byte == 0 || byte == UInt8(ascii: " ") {
        if digits > 0 { break } else { continue }
      }
      guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "7") else { return nil }
      value = value * 8 + Int(byte - UInt8(ascii: "0"))
      digits += 1
    }
    return value
  }

  /// `NN path=VALUE\n` records of a pax header.
  static func paxPath(_ data: [UInt8]) -> String? {
    let text = String(decoding: data, as: UTF8.self)
    for record in text.split(separator: "\n") {
      guard let space = record.firstIndex(of: " ") else { continue }
      let field = record[record.index(after: space)...]
      if field.hasPrefix("path=") { return String(field.dropFirst(5)) }
    }
    return nil
  }
}
