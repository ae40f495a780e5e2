import LogrxMatching
import LogrxVocabulary

#if canImport(Glibc)
  import Glibc
#endif

/// Turns raw log lines into message lines: strips the CRI node-log prefix (and joins `P`
/// partial lines), unwraps docker json-file lines, takes pod and container from
/// `oc logs --prefix`, drops RFC 3339 timestamps that `--timestamps` adds, ANSI escape codes,
/// a trailing CR, and the markdown fences of a paste (the line numbers stay those of the input).
///
/// Decoded lines go into a ``LineBatch``; `onBatch` receives it after each chunk of input and
/// then it is emptied.
public struct LogDecoder: LineSink {
  public var batch = LineBatch()
  let file: String
  let maxLineLength: Int
  let onBatch: (inout LineBatch) -> Void
  /// A CRI or docker line split into parts, waiting for its last part.
  private var partial: [UInt8] = []
  private var partialNumber = 0
  private var partialOrigin: Origin?
  /// The line number of the joined line last cut at the cap (so it is said once).
  private var partialCut = 0
  private var scratch: [UInt8] = []
  /// Lines that were longer than the cap.
  public private(set) var cutLines: [Int] = []

  /// What the file's path says about its lines (namespace, pod, container of a node log).
  public var defaults: Origin
  /// `--since`: lines stamped before this time (seconds since 1970) are skipped; a line without
  /// a timestamp goes with the stamped line before it.
  public var since: Double?
  private var skippingOld = false

  public init(file: String, maxLineLength: Int = 1 << 20, onBatch: @escaping (inout LineBatch) -> Void) {
    self.file = file
    self.defaults = Origin(file: file)
    self.maxLineLength = maxLineLength
    self.onBatch = onBatch
  }

  /// Lines as they are (a source file, not a log): no docker or CRI decoding, no prefixes,
  /// gutters, fences or ANSI codes taken off, no 80-column pieces joined; only a trailing CR.
  public var verbatim = false

  public mutating func line(_ raw: UnsafeRawBufferPointer, number: Int, cut: Bool) {
    if cut { cutLines.append(number) }
    if verbatim {
      var count = raw.count
      while count > 0, raw[count - 1] == UInt8(ascii: "\r") { count -= 1 }
      batch.append(UnsafeRawBufferPointer(rebasing: raw[0..<count]), number: number, origin: defaults)
      return
    }
    var origin = defaults
    var message = Slice(base: raw, bounds: 0..<raw.count)
    if let since, isOld(message, since: since) { return }

    if let first = message.first, first == UInt8(ascii: "{"), let decoded = Self.dockerJSON(raw) {
      flushWrapped()
      origin.stream = decoded.stream
      scratch = decoded.log
      let complete = scratch.last == UInt8(ascii: "\n")
      if complete { scratch.removeLast() }
      emitPart(number: number, origin: origin, partial: !complete)
      return
    }
    if let cri = Self.criPrefix(message) {
      flushWrapped()
      origin.stream = cri.stream
      scratch.removeAll(keepingCapacity: true)
      scratch.append(contentsOf: message[cri.messageStart...])
      emitPart(number: number, origin: origin, partial: cri.partial)
      return
    }
    flushPartial()
    // A markdown fence around a pasted log is not part of it.
    if Self.isFence(message) { return }
    message = stripGutter(message, number: number)
    message = Self.stripPrefixes(message, origin: &origin)
    scratch.removeAll(keepingCapacity: true)
    scratch.append(contentsOf: message)
    if Self.hasEscape(scratch) { scratch = Self.removingANSI(scratch) }
    while scratch.last == UInt8(ascii: "\r") { scratch.removeLast() }
    unwrap(number: number, origin: origin)
  }

  // MARK: State carried from line to line

  /// What the decoder carries from one line to the next: a line waiting for its CRI or docker
  /// parts or for the rest of an 80-column wrap, the web-console gutter's numbering, whether a
  /// long line was seen, and the `--since` cut-off's decision for unstamped lines. A part of a
  /// file decoded on its own thread starts from a guess of it (``carry``), which is checked
  /// against the state the part before it really ended with (``Carry/continues(_:)``).
  public struct Carry: Sendable {
    var partial: [UInt8] = []
    var partialNumber = 0
    var partialOrigin: Origin?
    var partialCut = 0
    var wrapped: [UInt8] = []
    var wrappedNumber = 0
    var wrappedOrigin: Origin?
    var sawLongLine = false
    var gutterNext: Int?
    var skippingOld = false
    /// Whether a line was held as an 80-column piece since the state was set.
    var heldWrapPiece = false

    /// The state of a decoder that has read nothing.
    public init() {}

    init(
      partial: [UInt8], partialNumber: Int, partialOrigin: Origin?, partialCut: Int, wrapped: [UInt8], wrappedNumber: Int,
      wrappedOrigin: Origin?, sawLongLine: Bool, gutterNext: Int?, skippingOld: Bool
    ) {
      self.partial = partial
      self.partialNumber = partialNumber
      self.partialOrigin = partialOrigin
      self.partialCut = partialCut
      self.wrapped = wrapped
      self.wrappedNumber = wrappedNumber
      self.wrappedOrigin = wrappedOrigin
      self.sawLongLine = sawLongLine
      self.gutterNext = gutterNext
      self.skippingOld = skippingOld
    }

    /// Whether a long line was seen (after which nothing is joined as an 80-column wrap).
    public var sawLongLineBefore: Bool {
      get { sawLongLine }
      set { sawLongLine = newValue }
    }

    /// No line is waiting for a continuation.
    public var isClean: Bool { partialOrigin == nil && wrappedOrigin == nil }

    /// Whether decoding from `self` (the state a part really ended with) gave what decoding
    /// from `guess` gave, for a part that ended in `end`: neither holds a waiting line, and the
    /// rest is the same, except that a long line seen only before the part makes no difference
    /// when the part held no 80-column piece.
    public func continues(_ guess: Carry, partEnd end: Carry) -> Bool {
      isClean && guess.isClean && gutterNext == guess.gutterNext && skippingOld == guess.skippingOld
        && (sawLongLine == guess.sawLongLine || (sawLongLine && !end.heldWrapPiece))
    }

    /// The same state with its line numbers moved by `delta` (from one numbering to another).
    public func renumbered(by delta: Int) -> Carry {
      var moved = self
      if partialOrigin != nil { moved.partialNumber += delta }
      if wrappedOrigin != nil { moved.wrappedNumber += delta }
      if partialCut != 0 { moved.partialCut += delta }
      return moved
    }
  }

  /// The state carried to the next line (see ``Carry``).
  public var carry: Carry {
    get {
      var carry = Carry(
        partial: partial, partialNumber: partialNumber, partialOrigin: partialOrigin, partialCut: partialCut, wrapped: wrapped,
        wrappedNumber: wrappedNumber, wrappedOrigin: wrappedOrigin, sawLongLine: sawLongLine, gutterNext: gutterNext,
        skippingOld: skippingOld)
      carry.heldWrapPiece = heldWrapPiece
      return carry
    }
    set {
      partial = newValue.partial
      partialNumber = newValue.partialNumber
      partialOrigin = newValue.partialOrigin
      partialCut = newValue.partialCut
      wrapped = newValue.wrapped
      wrappedNumber = newValue.wrappedNumber
      wrappedOrigin = newValue.wrappedOrigin
      sawLongLine = newValue.sawLongLine
      gutterNext = newValue.gutterNext
      skippingOld = newValue.skippingOld
      heldWrapPiece = false
    }
  }

  private var heldWrapPiece = false

  // MARK: Pasted shapes

  /// The next line number of a web-console gutter (`57\t---> Installing ...`), once one is seen.
  private var gutterNext: Int?

  /// Removes the line-number gutter that copying from a web console's log view adds: a number
  /// and a tab, or a number and spaces that continues the numbering (or starts it at line 1).
  private mutating func stripGutter(_ line: Slice<UnsafeRawBufferPointer>, number: Int) -> Slice<UnsafeRawBufferPointer> {
    var cursor = line.startIndex
    var value = 0
    while cursor < line.endIndex, cursor - line.startIndex < 8, (0x30...0x39).contains(line[cursor]) {
      value = value * 10 + Int(line[cursor] - 0x30)
      cursor += 1
    }
    let digits = cursor - line.startIndex
    guard digits > 0, digits < 8 else {
      gutterNext = nil
      return line
    }
    let continues = value == gutterNext || (number == 1 && value == 1)
    if cursor == line.endIndex || (line[cursor] == 0x0D && cursor + 1 == line.endIndex) {
      // An empty log line in the gutter is its number alone.
      guard continues else { return line }
      gutterNext = value + 1
      return line[cursor..<cursor]
    }
    let separator = line[cursor]
    guard separator == UInt8(ascii: "\t") || (separator == UInt8(ascii: " ") && continues) else {
      gutterNext = nil
      return line
    }
    gutterNext = value + 1
    cursor += 1
    if separator == UInt8(ascii: " ") { while cursor < line.endIndex, line[cursor] == UInt8(ascii: " ") { cursor += 1 } }
    return line[cursor...]
  }

  /// The terminal width of the pastes that `unwrap` joins.
  static let wrapWidth = 80
  /// A plain line cut at the terminal width, waiting for its continuation.
  private var wrapped: [UInt8] = []
  private var wrappedNumber = 0
  private var wrappedOrigin: Origin?
  /// A line longer than the width was seen: the input is not a wrapped paste.
  private var sawLongLine = false

  /// Joins lines that an 80-column terminal cut into pieces (a paste from `oc logs` in a
  /// terminal that hard-wraps): a piece of exactly 80 characters continues on the next line,
  /// unless that one starts like a log line of its own.
  private mutating func unwrap(number: Int, origin: Origin) {
    var number = number
    var joined = false
    if let pendingOrigin = wrappedOrigin {
      if pendingOrigin == origin, !Self.startsALine(scratch) {
        wrapped.append(contentsOf: scratch)
        swap(&wrapped, &scratch)
        number = wrappedNumber
        joined = true
        wrapped.removeAll(keepingCapacity: true)
        wrappedOrigin = nil
      } else {
        flushWrapped()
      }
    }
    // A terminal that wraps at 80 columns shows no longer line: after one, nothing is joined.
    if !joined, !sawLongLine, Self.visibleLength(scratch[...]) > Self.wrapWidth { sawLongLine = true }
    if !sawLongLine, Self.isWrapPiece(scratch) {
      heldWrapPiece = true
      swap(&wrapped, &scratch)
      wrappedNumber = number
      wrappedOrigin = origin
      return
    }
    scratch.withUnsafeBytes { batch.append($0, number: number, origin: origin) }
  }

  private mutating func flushWrapped() {
    guard let origin = wrappedOrigin else { return }
    wrapped.withUnsafeBytes { batch.append($0, number: wrappedNumber, origin: origin) }
    wrapped.removeAll(keepingCapacity: true)
    wrappedOrigin = nil
  }

  /// Whether `line` ends with a piece of exactly the wrap width (counting characters, not
  /// bytes) and is not a rule of one repeated character (`=====`). A joined line's earlier
  /// pieces were all of the width, so its whole length is a multiple of it.
  static func isWrapPiece(_ line: [UInt8]) -> Bool {
    let length = visibleLength(line[...])
    guard length >= wrapWidth, length % wrapWidth == 0 else { return false }
    guard let first = line.first else { return false }
    return !line.allSatisfy { $0 == first }
  }

  static func visibleLength(_ bytes: ArraySlice<UInt8>) -> Int {
    var count = 0
    for byte in bytes where byte & 0xC0 != 0x80 { count += 1 }
    return count
  }

  /// A line that begins like a log line of its own: a timestamp, a bracketed prefix, an S2I or
  /// powershift step, a traceback's first line or frame, a level word, a shell prompt.
  static func startsALine(_ line: [UInt8]) -> Bool {
    if let first = line.first, (0x30...0x39).contains(first), line.prefix(16).contains(UInt8(ascii: ".")) { return true }
    let starts = ["Traceback (", "  File \"", "---> ", " -----> ", "[", "ERROR", "WARNING", "INFO", "DEBUG", "$ ", "error: ", "Error", "I0", "E0", "W0", "F0"]
    for start in starts where line.starts(with: start.utf8) { return true }
    if line.count >= 4, line.prefix(4).allSatisfy({ (0x30...0x39).contains($0) }) { return true }
    return false
  }

  /// Whether the line is stamped before `since` (CRI and `--timestamps` lines start with their
  /// time, docker json-file lines carry it in `"time"`); an unstamped line goes with the one
  /// before it.
  private mutating func isOld(_ line: Slice<UnsafeRawBufferPointer>, since: Double) -> Bool {
    var stamp = Timestamps.parse(line)
    if stamp == nil, line.first == UInt8(ascii: "{") {
      let key = Array(#""time":""#.utf8)
      if let at = Self.find(key, in: UnsafeRawBufferPointer(rebasing: line)) {
        stamp = Timestamps.parse(line[(line.startIndex + at + key.count)...])
      }
    } else if stamp == nil, line.first == UInt8(ascii: "["), let close = line.firstIndex(of: UInt8(ascii: "]")),
      close + 2 < line.endIndex
    {
      // `[pod/NAME/CONTAINER] 2024-05-01T10:15:00Z …` (oc logs --prefix --timestamps).
      stamp = Timestamps.parse(line[(close + 2)...])
    }
    if let stamp { skippingOld = stamp < since }
    return skippingOld
  }

  /// "```" or "```text" (with optional spaces and a trailing CR).
  static func isFence(_ line: Slice<UnsafeRawBufferPointer>) -> Bool {
    var bytes = line.drop { $0 == UInt8(ascii: " ") }
    guard bytes.count >= 3, bytes.prefix(3).allSatisfy({ $0 == UInt8(ascii: "`") }) else { return false }
    bytes = bytes.dropFirst(3)
    return bytes.allSatisfy { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") || $0 == 0x0D || $0 == UInt8(ascii: " ") }
  }

  public mutating func chunkEnded() {
    if !batch.isEmpty { onBatch(&batch) }
    batch.removeAll()
  }

  /// The input went quiet (a live pipe): a line held for its continuation is passed on.
  public mutating func idle() {
    flushWrapped()
    chunkEnded()
  }

  /// Ends the input: a pending partial line is passed on as it is.
  public mutating func finish() {
    flushPartial()
    flushWrapped()
    chunkEnded()
  }

  private mutating func emitPart(number: Int, origin: Origin, partial isPartial: Bool) {
    if let pendingOrigin = partialOrigin, pendingOrigin != origin { flushPartial() }
    if partialOrigin == nil, !isPartial, scratch.count <= maxLineLength {
      // A whole line in one part (almost every line): straight to the batch, without the
      // joining buffer (what the steps below would do, one copy less).
      var origin = origin
      stripMessagePrefixes(&origin)
      appendClean(number: number, origin: origin)
      return
    }
    if partialOrigin == nil {
      partialNumber = number
      partialOrigin = origin
    }
    if partial.count + scratch.count > maxLineLength, partialCut != partialNumber {
      // A logical line joined from CRI or docker parts is cut at the cap, and said once.
      partialCut = partialNumber
      if cutLines.last != partialNumber { cutLines.append(partialNumber) }
    }
    if partial.count < maxLineLength { partial.append(contentsOf: scratch.prefix(maxLineLength - partial.count)) }
    if isPartial { return }
    swap(&partial, &scratch)
    partial.removeAll(keepingCapacity: true)
    let start = partialNumber
    partialOrigin = nil
    var origin = origin
    stripMessagePrefixes(&origin)
    appendClean(number: start, origin: origin)
  }

  private mutating func flushPartial() {
    guard var origin = partialOrigin else { return }
    swap(&partial, &scratch)
    partial.removeAll(keepingCapacity: true)
    partialOrigin = nil
    stripMessagePrefixes(&origin)
    appendClean(number: partialNumber, origin: origin)
  }

  /// `oc logs --prefix` and timestamps can sit inside a CRI or docker message too.
  private mutating func stripMessagePrefixes(_ origin: inout Origin) {
    var updated = origin
    // What stripPrefixes leaves is a suffix of the line: drop the prefix in place.
    let dropped = scratch.withUnsafeBytes { raw in
      raw.count - Self.stripPrefixes(Slice(base: raw, bounds: 0..<raw.count), origin: &updated).count
    }
    if dropped > 0 {
      scratch.removeSubrange(0..<dropped)
      origin = updated
    }
  }

  /// Removes ANSI escapes and a trailing CR from `scratch`, then appends it to the batch.
  private mutating func appendClean(number: Int, origin: Origin) {
    if Self.hasEscape(scratch) { scratch = Self.removingANSI(scratch) }
    while scratch.last == UInt8(ascii: "\r") { scratch.removeLast() }
    scratch.withUnsafeBytes { batch.append($0, number: number, origin: origin) }
  }

  // MARK: Formats

  /// `2024-05-01T10:15:00.123456789Z stdout F message` (CRI node log).
  static func criPrefix(_ line: Slice<UnsafeRawBufferPointer>) -> (stream: String, partial: Bool, messageStart: Int)? {
    guard let afterTime = timestampEnd(line) else { return nil }
    var cursor = afterTime
    let end = line.endIndex
    guard cursor < end, line[cursor] == UInt8(ascii: " ") else { return nil }
    cursor += 1
    let streamStart = cursor
    while cursor < end, line[cursor] != UInt8(ascii: " ") { cursor += 1 }
    let stream = String(decoding: line[streamStart..<cursor], as: UTF8.self)
    guard stream == "stdout" || stream == "stderr", cursor < end else { return nil }
    cursor += 1
    guard cursor < end else { return nil }
    let tag = line[cursor]
    guard tag == UInt8(ascii: "F") || tag == UInt8(ascii: "P") else { return nil }
    cursor += 1
    // Tags may carry more fields after ':' (F:x); skip to the space.
    while cursor < end, line[cursor] != UInt8(ascii: " ") { cursor += 1 }
    if cursor < end { cursor += 1 }
    return (stream, tag == UInt8(ascii: "P"), cursor)
  }

  /// The end of an RFC 3339 timestamp at the start of `line`, or nil.
  static func timestampEnd(_ line: Slice<UnsafeRawBufferPointer>) -> Int? {
    let start = line.startIndex
    guard line.count >= 20 else { return nil }
    func digit(_ offset: Int) -> Bool {
      let byte = line[start + offset]
      return byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
    guard digit(0), digit(1), digit(2), digit(3), line[start + 4] == UInt8(ascii: "-"), digit(5), digit(6),
      line[start + 7] == UInt8(ascii: "-"), digit(8), digit(9), line[start + 10] == UInt8(ascii: "T"),
      digit(11), digit(12), line[start + 13] == UInt8(ascii: ":")
    else { return nil }
    var cursor = start + 14
    while cursor < line.endIndex, line[cursor] != UInt8(ascii: " ") { cursor += 1 }
    guard cursor < line.endIndex else { return nil }
    return cursor
  }

  static let podPrefix: [UInt8] = Array("[pod/".utf8)

  /// Strips `[pod/NAME/CONTAINER] ` and a leading RFC 3339 timestamp.
  static func stripPrefixes(_ line: Slice<UnsafeRawBufferPointer>, origin: inout Origin) -> Slice<UnsafeRawBufferPointer> {
    var message = line
    if message.count > podPrefix.count, message.starts(with: podPrefix),
      let close = message.firstIndex(of: UInt8(ascii: "]"))
    {
      let inside = String(decoding: message[(message.startIndex + podPrefix.count)..<close], as: UTF8.self)
      let parts = inside.split(separator: "/", maxSplits: 1)
      if let pod = parts.first, !pod.isEmpty, !inside.contains(" ") {
        origin.pod = String(pod)
        if parts.count > 1 { origin.container = String(parts[1]) }
        var next = close + 1
        if next < message.endIndex, message[next] == UInt8(ascii: " ") { next += 1 }
        message = message[next...]
      }
    }
    if let end = timestampEnd(message) {
      message = message[(end + 1)...]
    }
    return message
  }

  /// Decodes a docker json-file line: `{"log":"…\n","stream":"stdout","time":"…"}`.
  static func dockerJSON(_ line: UnsafeRawBufferPointer) -> (log: [UInt8], stream: String?)? {
    let key = Array(#""log":""#.utf8)
    guard let keyStart = find(key, in: line) else { return nil }
    var cursor = keyStart + key.count
    var log: [UInt8] = []
    var closed = false
    while cursor < line.count {
      let byte = line[cursor]
      if byte == UInt8(ascii: "\"") {
        closed = true
        break
      }
      if byte == UInt8(ascii: "\\"), cursor + 1 < line.count {
        let escape = line[cursor + 1]
        cursor += 2
        switch escape {
        case UInt8(ascii: "n"): log.append(0x0A)
        case UInt8(ascii: "t"): log.append(0x09)
        case UInt8(ascii: "r"): log.append(0x0D)
        case UInt8(ascii: "b"): log.append(0x08)
        case UInt8(ascii: "f"): log.append(0x0C)
        case UInt8(ascii: "u"):
          guard cursor + 4 <= line.count,
            let scalar = UInt32(String(decoding: UnsafeRawBufferPointer(rebasing: line[cursor..<(cursor + 4)]), as: UTF8.self), radix: 16)
          else { return nil }
          cursor += 4
          var value = scalar
          // A surrogate pair: \uD83D\uDE00.
          if (0xD800..<0xDC00).contains(scalar), cursor + 6 <= line.count, line[cursor] == UInt8(ascii: "\\"),
            line[cursor + 1] == UInt8(ascii: "u"),
            let low = UInt32(String(decoding: UnsafeRawBufferPointer(rebasing: line[(cursor + 2)..<(cursor + 6)]), as: UTF8.self), radix: 16),
            (0xDC00..<0xE000).contains(low)
          {
            value = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            cursor += 6
          }
          log.append(contentsOf: Array(String(Unicode.Scalar(value).map(Character.init) ?? "\u{FFFD}").utf8))
        default: log.append(escape)
        }
        continue
      }
      log.append(byte)
      cursor += 1
    }
    guard closed else { return nil }
    var stream: String?
    let streamKey = Array(#""stream":""#.utf8)
    if let streamStart = find(streamKey, in: line) {
      let valueStart = streamStart + streamKey.count
      var valueEnd = valueStart
      while valueEnd < line.count, line[valueEnd] != UInt8(ascii: "\"") { valueEnd += 1 }
      stream = String(decoding: UnsafeRawBufferPointer(rebasing: line[valueStart..<valueEnd]), as: UTF8.self)
    }
    return (log, stream)
  }

  static func find(_ needle: [UInt8], in haystack: UnsafeRawBufferPointer) -> Int? {
    guard haystack.count >= needle.count, let base = haystack.baseAddress else { return nil }
    let first = Int32(needle[0])
    var offset = 0
    while offset + needle.count <= haystack.count {
      guard let found = memchr(base + offset, first, haystack.count - offset - needle.count + 1) else { return nil }
      let position = base.distance(to: UnsafeRawPointer(found))
      if needle.withUnsafeBytes({ memcmp(base + position, $0.baseAddress!, needle.count) }) == 0 { return position }
      offset = position + 1
    }
    return nil
  }

  /// Removes ANSI escape sequences: CSI (`ESC [ … final`), OSC (`ESC ] … BEL` or `ESC \`)
  /// and two-byte escapes.
  /// Whether `bytes` holds an ESC (the start of an ANSI code): `memchr`, vectorised, since
  /// every line is searched and almost none has one.
  @inline(__always)
  static func hasEscape(_ bytes: [UInt8]) -> Bool {
    bytes.withUnsafeBytes { raw in
      guard let base = raw.baseAddress, !raw.isEmpty else { return false }
      return memchr(base, 0x1B, raw.count) != nil
    }
  }

  static func removingANSI(_ bytes: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count)
    var index = 0
    while index < bytes.count {
      let byte = bytes[index]
      guard byte == 0x1B, index + 1 < bytes.count else {
        if byte != 0x1B { out.append(byte) }
        index += 1
        continue
      }
      let kind = bytes[index + 1]
      index += 2
      if kind == UInt8(ascii: "[") {
        while index < bytes.count, !(0x40...0x7E).contains(bytes[index]) { index += 1 }
        index += 1
      } else if kind == UInt8(ascii: "]") {
        while index < bytes.count {
          if bytes[index] == 0x07 {
            index += 1
            break
          }
          if bytes[index] == 0x1B, index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\\") {
            index += 2
            break
          }
          index += 1
        }
      }
    }
    return out
  }
}
