/// What a signature is for: recognising a rule, or cancelling one (`unless`).
public enum SignatureRole: Sendable, Equatable {
  case match(rule: Int, signature: Int)
  case unless(rule: Int)
}

/// One regex hit on one line of a batch.
public struct LineHit: Sendable {
  /// Index of the line in the batch.
  public var line: Int
  public var role: SignatureRole
  /// Named captures, as text.
  public var captures: [String: String]
}

/// Runs every rule's signatures over batches of lines: a literal prefilter over the whole
/// batch, then each candidate signature's regex on the lines where its literal occurs.
///
/// Signatures without a literal run on every line. A regex that hits PCRE2's match or depth
/// limit counts as no match and is reported through `onLimit`.
public final class RuleMatcher {
  public let rules: [Rule]
  struct Entry {
    var regex: Regex
    var role: SignatureRole
  }
  let entries: [Entry]
  let prefilter: Prefilter
  /// Entries to try for each needle id: `needleEntries[needleEntryStart[id]..<needleEntryStart[id + 1]]`
  /// (one flat array: the scan callback looks them up for every needle occurrence).
  let needleEntryStart: [Int32]
  let needleEntries: [Int32]
  /// Entries that have no needle and run on every line.
  let alwaysRun: [Int]
  /// For each needle id, whether it is a marker: a string whose lines the caller wants to
  /// know about without a regex (such as the start of a traceback).
  let isMarker: [Bool]
  let hasMarkers: Bool
  private let matcher = RegexMatcher()
  private var lastLineTried: [Int]

  /// - Parameter markers: strings (ASCII case folded) whose lines ``hits(in:onLimit:)``
  ///   reports in `markedLines`.
  public init(rules: [Rule], markers: [String] = []) {
    self.rules = rules
    var entries: [Entry] = []
    var needles: [[UInt8]] = []
    var needleIndex: [[UInt8]: Int] = [:]
    var needleEntries: [[Int]] = []
    var alwaysRun: [Int] = []
    func add(_ signature: Signature, role: SignatureRole) {
      let entry = entries.count
      entries.append(Entry(regex: signature.regex, role: role))
      guard let literals = signature.needles, !literals.isEmpty else {
        alwaysRun.append(entry)
        return
      }
      for literal in literals {
        let bytes = Array(literal.utf8).map(Prefilter.fold)
        if let known = needleIndex[bytes] {
          needleEntries[known].append(entry)
        } else {
          needleIndex[bytes] = needles.count
          needles.append(bytes)
          needleEntries.append([entry])
        }
      }
    }
    for (ruleIndex, rule) in rules.enumerated() {
      for (signatureIndex, signature) in rule.signatures.enumerated() {
        add(signature, role: .match(rule: ruleIndex, signature: signatureIndex))
      }
      for signature in rule.unless { add(signature, role: .unless(rule: ruleIndex)) }
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
        needleEntries.append([])
      }
    }
    var isMarker = [Bool](repeating: false, count: needles.count)
    for needle in markerNeedles { isMarker[needle] = true }
    self.isMarker = isMarker
    self.hasMarkers = !markerNeedles.isEmpty
    self.entries = entries
    self.prefilter = Prefilter(needles: needles)
    var starts: [Int32] = [0]
    for list in needleEntries { starts.append(starts.last! + Int32(list.count)) }
    self.needleEntryStart = starts
    self.needleEntries = needleEntries.flatMap { $0.map { Int32($0) } }
    self.alwaysRun = alwaysRun
    self.lastLineTried = [Int](repeating: -1, count: entries.count)
  }

  /// Number of signatures (match and unless) in force.
  public var signatureCount: Int { entries.count }

  /// Searches `batch` and returns its hits in line order.
  ///
  /// - Parameter onLimit: called with the line index and rule index when a regex ran into
  ///   PCRE2's limits on that line.
  public func hits(in batch: LineBatch, onLimit: (Int, Int) -> Void = { _, _ in }) -> [LineHit] {
    var marked: [Int] = []
    return hits(in: batch, markedLines: &marked, onLimit: onLimit)
  }

  /// Searches `batch`; also collects, in order and without repeats, the indexes of the lines
  /// where a marker occurs.
  public func hits(in batch: LineBatch, markedLines: inout [Int], onLimit: (Int, Int) -> Void = { _, _ in }) -> [LineHit] {
    var hits: [LineHit] = []
    markedLines.removeAll(keepingCapacity: true)
    guard !batch.isEmpty else { return hits }
    // A local copy: the per-needle loop below would otherwise pay a dynamic exclusivity check
    // on the class property for every occurrence.
    var lastLineTried = self.lastLineTried
    self.lastLineTried = []
    defer { self.lastLineTried = lastLineTried }
    for index in lastLineTried.indices { lastLineTried[index] = -1 }
    var candidates: [Int] = []
    var currentLine = 0

    let lineCount = batch.count
    // Buffer pointers throughout: the needle callback runs for every occurrence in the batch.
    batch.withUnsafeLines { bytes, starts, ends in
      needleEntryStart.withUnsafeBufferPointer { entryStart in
        needleEntries.withUnsafeBufferPointer { needleEntries in
          func flush(_ line: Int) {
            guard !candidates.isEmpty || !alwaysRun.isEmpty else { return }
            for entry in alwaysRun where lastLineTried[entry] != line {
              lastLineTried[entry] = line
              candidates.append(entry)
            }
            candidates.sort()
            let subject = UnsafeRawBufferPointer(rebasing: bytes[starts[line]..<ends[line]])
            for entry in candidates {
              switch matcher.match(entries[entry].regex, in: subject) {
              case .noMatch:
                break
              case .limitExceeded:
                if case .match(let rule, _) = entries[entry].role { onLimit(line, rule) }
                if case .unless(let rule) = entries[entry].role { onLimit(line, rule) }
              case .match(_, let ranges):
                var captures: [String: String] = [:]
                for (name, range) in ranges {
                  captures[name] = String(decoding: UnsafeRawBufferPointer(rebasing: subject[range]), as: UTF8.self)
                }
                hits.append(LineHit(line: line, role: entries[entry].role, captures: captures))
              }
            }
            candidates.removeAll(keepingCapacity: true)
          }
          /// Notes the needle's line as marked and its entries as candidates there.
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
    }
    return hits
  }
}
