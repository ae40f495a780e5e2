import LogrxMatching
import LogrxVocabulary
import LogrxIngest
import LogrxRules

/// Groups the lines of a Python traceback into one event, line by line as they arrive.
///
/// A traceback opens at `Traceback (most recent call last):` or, for a paste cut short, at
/// its first `File "…", line N` frame. Lines indented deeper than the header belong to it;
/// the first line at the header's depth after a frame is the exception line. Chained
/// tracebacks ("During handling of the above exception…") stay in one event. The event
/// closes at the next line that does not belong, at the end of the input, or when the caller
/// flushes it (`watch` does after a short idle time).
///
/// Lines may carry Apache/mod_wsgi prefixes (`[Mon Jul 03 …] [wsgi:error] [pid 21] `): the
/// structure is read after them. At most ``maxLines`` lines are kept (the first and the
/// last ones).
public struct TracebackAssembler {
  public static let maxLines = 200

  /// Strings on every line that can open a traceback; the matcher's prefilter finds them, so
  /// that lines far from any traceback are never looked at one by one.
  public static let markers = ["Traceback (most recent call last):", "File \""]

  /// A closed traceback.
  public struct Event: Sendable {
    public var lines: [EvidenceLine]
    /// The file of the innermost frame, if any.
    public var lastFrameFile: String?
    /// The file of the innermost frame in the app's own code (not the standard library, not
    /// an installed package), if any: what a fix edits.
    public var lastAppFrameFile: String?
    /// The line number of the exception line (or the last line).
    public var lastLine: Int { lines.last?.line ?? 0 }
  }

  private var lines: [EvidenceLine] = []
  private var droppedLines = 0
  private var baseIndent = 0
  private var sawFrame = false
  private var sawException = false
  private var afterChainMarker = false
  private var lastFrameFile: String?
  private var lastAppFrameFile: String?
  public private(set) var isOpen = false
  /// The number of the first line of the open traceback.
  public var firstLine: Int { lines.first?.line ?? 0 }

  public init() {}

  /// Feeds one line. Returns the traceback that this line closed (the line itself is not
  /// part of it), if any.
  public mutating func feed(_ text: String, number: Int) -> Event? {
    let content = Self.contentAfterLogPrefix(text)
    let indent = content.prefix { $0 == " " || $0 == "\t" }.count
    let trimmed = content.dropFirst(indent)
    let isHeader = trimmed.hasPrefix("Traceback (most recent call last):")
    let isFrame = trimmed.hasPrefix("File \"") && trimmed.contains("\", line ")

    if isOpen {
      if isHeader, afterChainMarker || !sawException {
        afterChainMarker = false
        add(text, number, frameFile: nil)
        return nil
      }
      if trimmed.isEmpty {
        // Blank lines separate chained tracebacks; they do not end one by themselves.
        return sawException || afterChainMarker ? nil : closeAndStart(text, number, content: content)
      }
      if trimmed.hasPrefix("During handling of the above exception")
        || trimmed.hasPrefix("The above exception was the direct cause")
      {
        afterChainMarker = true
        sawException = false
        add(text, number, frameFile: nil)
        return nil
      }
      if !sawException, indent > baseIndent || isFrame {
        add(text, number, frameFile: isFrame ? Self.frameFile(trimmed) : nil)
        if isFrame { sawFrame = true }
        return nil
      }
      if !sawException, sawFrame, !isHeader {
        sawException = true
        add(text, number, frameFile: nil)
        return nil
      }
      return closeAndStart(text, number, content: content)
    }
    start(text, number, indent: indent, isHeader: isHeader, isFrame: isFrame, trimmed: trimmed)
    return nil
  }

  /// Moves the line numbers of the lines held by `delta` (a part of a file read in its own
  /// numbering, see `PartPipeline`).
  public mutating func renumber(by delta: Int) {
    for index in lines.indices { lines[index].line += delta }
  }

  /// Closes the open traceback, if any (at the end of input, or after an idle time).
  public mutating func flush() -> Event? {
    guard isOpen else { return nil }
    isOpen = false
    let event = Event(lines: lines, lastFrameFile: lastFrameFile, lastAppFrameFile: lastAppFrameFile)
    lines = []
    droppedLines = 0
    return sawFrame || sawException ? event : nil
  }

  private mutating func closeAndStart(_ text: String, _ number: Int, content: Substring) -> Event? {
    let event = flush()
    let indent = content.prefix { $0 == " " || $0 == "\t" }.count
    let trimmed = content.dropFirst(indent)
    start(
      text, number, indent: indent, isHeader: trimmed.hasPrefix("Traceback (most recent call last):"),
      isFrame: trimmed.hasPrefix("File \"") && trimmed.contains("\", line "), trimmed: trimmed)
    return event
  }

  private mutating func start(_ text: String, _ number: Int, indent: Int, isHeader: Bool, isFrame: Bool, trimmed: Substring) {
    guard isHeader || isFrame else { return }
    isOpen = true
    sawFrame = isFrame
    sawException = false
    afterChainMarker = false
    lastFrameFile = nil
    lastAppFrameFile = nil
    // A cut-short paste starts at a frame, two spaces deeper than its missing header.
    baseIndent = isHeader ? indent : max(0, indent - 2)
    add(text, number, frameFile: isFrame ? Self.frameFile(trimmed) : nil)
  }

  private mutating func add(_ text: String, _ number: Int, frameFile: String?) {
    if let frameFile {
      lastFrameFile = frameFile
      if Self.isAppFile(frameFile) { lastAppFrameFile = frameFile }
    }
    if lines.count >= Self.maxLines {
      // Keep the head (where it started) and the tail (where it failed).
      lines.remove(at: 20)
      droppedLines += 1
    }
    lines.append(EvidenceLine(line: number, text: text))
  }

  /// Whether a frame's file is the app's own: not under `site-packages`, `dist-packages`, a
  /// `lib/pythonX.Y/` standard library, nor `<frozen …>`/`<string>`.
  public static func isAppFile(_ path: String) -> Bool {
    // Bytes, not Foundation's string search: this runs for every frame of every traceback.
    let bytes = Array(path.utf8)
    if bytes.first == UInt8(ascii: "<") { return false }
    func has(_ needle: String, digitAfter: Bool = false) -> Bool {
      let needle = Array(needle.utf8)
      guard bytes.count >= needle.count else { return false }
      for start in 0...(bytes.count - needle.count) where bytes[start] == needle[0] {
        guard bytes[start..<(start + needle.count)].elementsEqual(needle) else { continue }
        if !digitAfter { return true }
        let next = start + needle.count
        if next < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[next]) { return true }
      }
      return false
    }
    return !has("/site-packages/") && !has("/dist-packages/") && !has("/lib/python", digitAfter: true)
      && !has("/lib64/python", digitAfter: true)
  }

  static func frameFile(_ trimmed: Substring) -> String? {
    let afterQuote = trimmed.dropFirst("File \"".count)
    guard let close = afterQuote.firstIndex(of: "\"") else { return nil }
    return String(afterQuote[..<close])
  }

  /// The text after leading `[…] ` groups, as Apache, mod_wsgi and gunicorn write them.
  static func contentAfterLogPrefix(_ text: String) -> Substring {
    var rest = Substring(text)
    var stripped = false
    while rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {
      let after = rest.index(after: close)
      guard after < rest.endIndex, rest[after] == " " else { break }
      rest = rest[rest.index(after: after)...]
      stripped = true
    }
    return stripped ? rest : Substring(text)
  }
}
