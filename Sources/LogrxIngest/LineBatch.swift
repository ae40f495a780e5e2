import LogrxMatching
import LogrxVocabulary

/// Decoded lines stored back to back in one buffer, so that the matcher can search them in
/// one pass. Each line is followed by `\n` in ``bytes``.
public struct LineBatch {
  public internal(set) var bytes: [UInt8] = []
  /// Start offset of each line in ``bytes``.
  public internal(set) var starts: [Int] = []
  /// End offset (exclusive, before the `\n`) of each line.
  public internal(set) var ends: [Int] = []
  /// Line number in the input of each line (for a joined CRI line, its first part).
  public internal(set) var numbers: [Int] = []
  /// Index into ``originTable`` of each line.
  public internal(set) var origins: [Int] = []
  public internal(set) var originTable: [Origin] = []
  private var originIndex: [Origin: Int] = [:]
  /// The origin of the line appended last.
  private var lastOrigin = -1

  public init() {}

  public var count: Int { starts.count }
  public var isEmpty: Bool { starts.isEmpty }

  /// The text of line `index` as a (lossily decoded) string.
  public func text(at index: Int) -> String {
    String(decoding: bytes[starts[index]..<ends[index]], as: UTF8.self)
  }

  public func origin(at index: Int) -> Origin { originTable[origins[index]] }

  /// Calls `body` with the bytes and the start and end offsets of every line, as buffer
  /// pointers: what a search over the whole batch needs, without array access costs per line.
  @inlinable @inline(__always)
  public func withUnsafeLines<R>(
    _ body: (UnsafeRawBufferPointer, UnsafeBufferPointer<Int>, UnsafeBufferPointer<Int>) throws -> R
  ) rethrows -> R {
    try bytes.withUnsafeBytes { bytes in
      try starts.withUnsafeBufferPointer { starts in
        try ends.withUnsafeBufferPointer { ends in try body(bytes, starts, ends) }
      }
    }
  }

  mutating func append(_ line: UnsafeRawBufferPointer, number: Int, origin: Origin) {
    starts.append(bytes.count)
    bytes.append(contentsOf: line)
    ends.append(bytes.count)
    bytes.append(UInt8(ascii: "\n"))
    numbers.append(number)
    origins.append(index(of: origin))
  }

  /// The index of `origin` in the table, added when new. A log's lines come from a handful of
  /// origins (one file; its stdout and stderr), so the last one and a short linear search
  /// answer without hashing five strings per line.
  private mutating func index(of origin: Origin) -> Int {
    if lastOrigin >= 0, originTable[lastOrigin] == origin { return lastOrigin }
    let found: Int
    if originTable.count <= 8 {
      found = originTable.firstIndex(of: origin) ?? -1
    } else {
      found = originIndex[origin] ?? -1
    }
    if found >= 0 {
      lastOrigin = found
      return found
    }
    lastOrigin = originTable.count
    originTable.append(origin)
    originIndex[origin] = lastOrigin
    return lastOrigin
  }

  /// Moves every line number by `delta` (a part of a file read with its own numbering).
  public mutating func renumber(by delta: Int) {
    guard delta != 0 else { return }
    for index in numbers.indices { numbers[index] += delta }
  }

  /// Appends the lines of `other` after these, as if they had been decoded into this batch.
  public mutating func append(contentsOf other: LineBatch) {
    other.withUnsafeLines { bytes, starts, ends in
      for line in 0..<starts.count {
        append(
          UnsafeRawBufferPointer(rebasing: bytes[starts[line]..<ends[line]]), number: other.numbers[line],
          origin: other.originTable[other.origins[line]])
      }
    }
  }

  /// Empties the batch, keeping its storage.
  mutating func removeAll() {
    bytes.removeAll(keepingCapacity: true)
    starts.removeAll(keepingCapacity: true)
    ends.removeAll(keepingCapacity: true)
    numbers.removeAll(keepingCapacity: true)
    origins.removeAll(keepingCapacity: true)
  }
}
