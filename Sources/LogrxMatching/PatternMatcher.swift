/// A pattern to search for: a compiled regex and the literals every match contains.
public struct Pattern: Sendable {
  public var regex: Regex
  /// Strings that every match contains (ASCII case folded when searched); `nil` or empty
  /// means the regex runs on every line.
  public var needles: [String]?

  public init(regex: Regex, needles: [String]?) {
    self.regex = regex
    self.needles = needles
  }
}

/// One regex hit on one line.
public struct LineHit: Sendable {
  /// Index of the line among the lines searched.
  public var line: Int
  /// Index of the pattern that matched.
  public var pattern: Int
  /// Named captures, as text.
  public var captures: [String: String]
}

/// Runs many patterns over a buffer of lines: a literal prefilter over the whole buffer,
/// then each candidate pattern's regex on the lines where one of its literals occurs.
///
/// Patterns without a literal run on every line. A regex that hits PCRE2's match or depth
/// limit counts as no match and is reported through `onLimit`. The matcher knows nothing of
/// rules or log formats: callers map pattern indexes to what the patterns mean.
public final class PatternMatcher {
  public let patterns: [Pattern]
  let prefilter: Prefilter
  /// Patterns to try for each needle id: `needlePatterns[needlePatternStart[id]..<needlePatternStart[id + 1]]`
  /// (one flat array: the scan callback looks them up for every needle occurrence).
  let needlePatternStart: [Int32]
  let needlePatterns: [Int32]
  /// Patterns that have no needle and run on every line.
  let alwaysRun: [Int]
  /// For each needle id, whether it is a marker: a string whose lines the caller wants to
  /// know about without a regex (such as the start of a traceback).
  let isMarker: [Bool]
  let hasMarkers: Bool
  private let matcher = RegexMatcher()
  private var lastLineTried: [Int]

  /// - Parameter markers: strings (ASCII case folded) whose lines ``hits(in:starts:ends:markedLines:onLimit:)``
  ///   reports in `markedLines`.
  public init(patterns: [Pattern], markers: [String] = []) {
    self.patterns = patterns
    var needles: [[UInt8]] = []
    var needleIndex: [[UInt8]: Int] = [:]
    var needlePatterns: [[Int]] = []
    var alwaysRun: [Int] = []
    for (index, pattern) in patterns.enumerated() {
      guard let literals = pattern.needles, !literals.isEmpty else {
        alwaysRun.append(index)
        continue
      }
      for literal in literals {
        let bytes = Array(literal.utf8).map(Prefilter.fold)
        if let known = needleIndex[bytes] {
          needlePatterns[known].append(index)
        } else {
          needleIndex[bytes] = needles.count
          needles.append(bytes)
          needlePatterns.append([index])
        }
      }
    }
    var markerNeedles = Set<Int>()
    for marker in markers {
      let bytes = Array(marker.utf8).map(Prefilter.fold)
      if let known = needleIndex[bytes] {
        markerNeedles.insert(known)
      } else {
        needleIndex[bytes] = needles.count
        markerNeedles.insert(needles.count)
        needles.append(bytes)
        needlePatterns.append([])
      }
    }
    var isMarker = [Bool](repeating: false, count: needles.count)
    for needle in markerNeedles { isMarker[needle] = true }
    self.isMarker = isMarker
    self.hasMarkers = !markerNeedles.isEmpty
    self.prefilter = Prefilter(needles: needles)
    var starts: [Int32] = [0]
    for list in needlePatterns { starts.append(starts.last! + Int32(list.count)) }
    self.needlePatternStart = starts
    self.needlePatterns = needlePatterns.flatMap { $0.map { Int32($0) } }
    self.alwaysRun = alwaysRun
    self.lastLineTried = [Int](repeating: -1, count: patterns.count)
  }

  /// Searches the lines of `bytes` (line `i` is `bytes[starts[i]..<ends[i]]`, lines in order,
  /// separated by at least one byte) and returns the hits in line order; also collects, in
  /// order and without repeats, the indexes of the lines where a marker occurs.
  ///
  /// - Parameter onLimit: called with the line index and pattern index when a regex ran into
  ///   PCRE2's limits on that line.
  public func hits(
    in bytes: UnsafeRawBufferPointer, starts: UnsafeBufferPointer<Int>, ends: UnsafeBufferPointer<Int>,
    markedLines: inout [Int], onLimit: (Int, Int) -> Void = { _, _ in }
  ) -> [LineHit] {
    var hits: [LineHit] = []
    markedLines.removeAll(keepingCapacity: true)
    guard !starts.isEmpty else { return hits }
    // A local copy: the per-needle loop below would otherwise pay a dynamic exclusivity check
    // on the class property for every occurrence.
    var lastLineTried = self.lastLineTried
    self.lastLineTried = []
    defer { self.lastLineTried = lastLineTried }
    for index in lastLineTried.indices { lastLineTried[index] = -1 }
    var candidates: [Int] = []
    var currentLine = 0

    let lineCount = starts.count
    // Buffer pointers throughout: the needle callback runs for every occurrence in the buffer.
    needlePatternStart.withUnsafeBufferPointer { entryStart in
      needlePatterns.withUnsafeBufferPointer { needleEntries in
        func flush(_ line: Int) {
          guard !candidates.isEmpty || !alwaysRun.isEmpty else { return }
          for entry in alwaysRun where lastLineTried[entry] != line {
            lastLineTried[entry] = line
            candidates.append(entry)
          }
          candidates.sort()
          let subject = UnsafeRawBufferPointer(rebasing: bytes[starts[line]..<ends[line]])
          for entry in candidates {
            switch matcher.match(patterns[entry].regex, in: subject) {
            case .noMatch:
              break
            case .limitExceeded:
              onLimit(line, entry)
            case .match(_, let ranges):
              var captures: [String: String] = [:]
              for (name, range) in ranges {
                captures[name] = String(decoding: UnsafeRawBufferPointer(rebasing: subject[range]), as: UTF8.self)
              }
              hits.append(LineHit(line: line, pattern: entry, captures: captures))
            }
          }
          candidates.removeAll(keepingCapacity: true)
        }
        /// Notes the needle's line as marked and its patterns as candidates there.
        func note(_ needle: Int, line: Int) {
          if hasMarkers, isMarker[needle], markedLines.last != line { markedLines.append(line) }
          for index in Int(entryStart[needle])..<Int(entryStart[needle + 1]) {
            let entry = Int(needleEntries[index])
            if lastLineTried[entry] != line {
              lastLineTried[entry] = line
              candidates.append(entry)
            }
          }
        }

        if alwaysRun.isEmpty {
          prefilter.scan(bytes) { end, needle in
            // The needle ends at `end`; find its line (hits come in order).
            let position = end - 1
            while ends[currentLine] < position {
              flush(currentLine)
              currentLine += 1
            }
            note(needle, line: currentLine)
          }
          flush(currentLine)
        } else {
          // Some signature runs everywhere: visit every line.
          var needlesByLine: [Int: [Int]] = [:]
          prefilter.scan(bytes) { end, needle in
            let position = end - 1
            while ends[currentLine] < position { currentLine += 1 }
            needlesByLine[currentLine, default: []].append(needle)
          }
          for line in 0..<lineCount {
            for needle in needlesByLine[line] ?? [] { note(needle, line: line) }
            flush(line)
          }
        }
      }
    }
    return hits
  }
}
