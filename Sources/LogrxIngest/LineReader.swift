import LogrxMatching
import LogrxVocabulary

#if canImport(Glibc)
  import Glibc
#endif

/// Receives the lines a ``LineReader`` splits, as they are found.
public protocol LineSink {
  /// One line without its `\n`; `number` is 1-based; `cut` is true when the line was longer
  /// than the reader's cap and only its first part is given. The bytes are valid only during
  /// the call.
  mutating func line(_ bytes: UnsafeRawBufferPointer, number: Int, cut: Bool)
  /// Called after the lines of each chunk that the source returned, so that a live consumer
  /// can act on what has arrived without waiting for more.
  mutating func chunkEnded()
}

/// Splits a byte stream into lines with a bounded buffer.
///
/// Memory stays flat on an endless stream: the buffer starts at 64 KiB and grows only to hold
/// one long line, up to `maxLineLength` (1 MiB by default). A longer line is cut: its first
/// `maxLineLength` bytes are passed on with `cut: true` and the rest is skipped up to the
/// next newline. A final line without `\n` is passed on at the end. Bytes are not
/// interpreted: invalid UTF-8 and NUL bytes pass through.
public struct LineReader {
  public let maxLineLength: Int
  public let chunkSize: Int
  private var buffer: UnsafeMutableRawBufferPointer
  private var start = 0
  private var end = 0
  private var lineNumber = 0
  private var skippingRestOfCutLine = false
  /// The number of the last line passed on.
  public var lastLineNumber: Int { lineNumber }
  /// Lines longer than the cap so far.
  public private(set) var cutLines = 0
  /// With ``init(alignedAt:maxLineLength:chunkSize:firstLine:)``: the offset in the file of
  /// the next byte read, so that every chunk ends at a multiple of `chunkSize`.
  public private(set) var fileOffset: Int64?

  /// - Parameter firstLine: the number of the first line read (a file read from an offset).
  public init(maxLineLength: Int = 1 << 20, chunkSize: Int = 64 * 1024, firstLine: Int = 1) {
    self.maxLineLength = maxLineLength
    self.chunkSize = chunkSize
    self.lineNumber = firstLine - 1
    buffer = .allocate(byteCount: max(chunkSize, 1) * 2, alignment: 16)
  }

  /// A reader of a file read from `offset` whose chunks end where the file's `chunkSize`
  /// blocks end (short reads are read on): the lines of each chunk, and so each batch a
  /// ``LogDecoder`` hands on, are then the same whichever offset the reading started at,
  /// which lets parts of one file be read on several threads and their batches be put back
  /// together as one reader would have made them.
  public init(alignedAt offset: Int64, maxLineLength: Int = 1 << 20, chunkSize: Int = 64 * 1024, firstLine: Int = 1) {
    self.init(maxLineLength: maxLineLength, chunkSize: chunkSize, firstLine: firstLine)
    fileOffset = offset
  }

  /// Frees the buffer. Call once when done.
  public func deallocate() { buffer.deallocate() }

  /// Reads `source` to its end, pushing lines into `sink`.
  public mutating func read<Source: ByteSource, Sink: LineSink>(
    _ source: inout Source, into sink: inout Sink
  ) throws(LogrxError) {
    while try readChunk(&source, into: &sink) {}
  }

  /// Reads one chunk from `source` and pushes the complete lines in it. Returns false at the
  /// end of the input (after pushing a final unterminated line).
  public mutating func readChunk<Source: ByteSource, Sink: LineSink>(
    _ source: inout Source, into sink: inout Sink
  ) throws(LogrxError) -> Bool {
    ensureRoom()
    var room = UnsafeMutableRawBufferPointer(rebasing: buffer[end..<buffer.count])
    var count: Int
    do {
      if let offset = fileOffset {
        // Up to the end of the block the offset is in, reading on after short reads.
        let want = chunkSize - Int(offset % Int64(chunkSize))
        room = UnsafeMutableRawBufferPointer(rebasing: room[0..<want])
        count = 0
        while count < want {
          let got = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: room[count...]))
          if got == 0 { break }
          count += got
        }
        fileOffset = offset + Int64(count)
      } else {
        count = try source.read(into: room)
      }
    } catch {
      finish(into: &sink)
      throw error
    }
    if count == 0 {
      finish(into: &sink)
      return false
    }
    end += count
    splitLines(into: &sink)
    sink.chunkEnded()
    return true
  }

  /// Pushes what is left as a last line, if anything.
  public mutating func finish<Sink: LineSink>(into sink: inout Sink) {
    if end > start, !skippingRestOfCutLine {
      lineNumber += 1
      sink.line(UnsafeRawBufferPointer(rebasing: buffer[start..<end]), number: lineNumber, cut: false)
    }
    start = 0
    end = 0
    skippingRestOfCutLine = false
    sink.chunkEnded()
  }

  private mutating func splitLines<Sink: LineSink>(into sink: inout Sink) {
    let base = buffer.baseAddress!
    var cursor = start
    while cursor < end {
      let found = memchr(base + cursor, Int32(UInt8(ascii: "\n")), end - cursor)
      guard let found else { break }
      let newline = base.distance(to: UnsafeMutableRawPointer(found))
      if skippingRestOfCutLine {
        skippingRestOfCutLine = false
      } else {
        lineNumber += 1
        let length = min(newline - start, maxLineLength)
        sink.line(UnsafeRawBufferPointer(start: base + start, count: length), number: lineNumber, cut: newline - start > maxLineLength)
        if newline - start > maxLineLength { cutLines += 1 }
      }
      start = newline + 1
      cursor = start
    }
    // No newline in what is left: cut it if it is already over the cap.
    if !skippingRestOfCutLine, end - start > maxLineLength {
      lineNumber += 1
      cutLines += 1
      sink.line(UnsafeRawBufferPointer(start: base + start, count: maxLineLength), number: lineNumber, cut: true)
      skippingRestOfCutLine = true
      start = end
    } else if skippingRestOfCutLine {
      start = end
    }
  }

  /// Makes room for one more chunk: compacts, and grows only while a line is longer than the
  /// buffer (up to the cap plus one chunk).
  private mutating func ensureRoom() {
    if start == end {
      start = 0
      end = 0
    }
    if buffer.count - end >= chunkSize { return }
    if start > 0 {
      let pending = end - start
      buffer.baseAddress!.copyMemory(from: buffer.baseAddress! + start, byteCount: pending)
      start = 0
      end = pending
      if buffer.count - end >= chunkSize { return }
    }
    let grown = UnsafeMutableRawBufferPointer.allocate(byteCount: max(buffer.count * 2, end + chunkSize), alignment: 16)
    grown.baseAddress!.copyMemory(from: buffer.baseAddress!, byteCount: end)
    buffer.deallocate()
    buffer = grown
  }
}
