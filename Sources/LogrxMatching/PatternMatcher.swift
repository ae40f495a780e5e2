import Dispatch

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

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
///
/// Once the matcher has searched ``vectorscanAfter`` bytes (1 MiB or more: a paste for `explain`
/// never gets there, so start-up does not pay Vectorscan's compile of ~30-150 ms, which runs on
/// another thread meanwhile), it moves to
/// Vectorscan where the machine runs it: the needles through ``VectorscanLiterals``, and the
/// patterns without a literal through ``VectorscanRegexes`` (prefilter mode), so that they run
/// only on lines where they may match instead of on every line. The candidates are a superset
/// of the lines where PCRE2 matches, so the hits are the same either way.
/// `LOGRX_PREFILTER=builtin` keeps logrx's own prefilter; `LOGRX_PREFILTER=vectorscan` moves
/// at the first byte.
public final class PatternMatcher {
  public let patterns: [Pattern]
  /// The needles (ASCII case folded); needle ids are indexes here.
  let needles: [[UInt8]]
  /// logrx's own prefilter over ``needles``, built on first use (a matcher that starts on a
  /// pack's stored Vectorscan databases never needs it), shared with the matchers of other
  /// threads; ``ownPrefilter`` is this matcher's reference once built.
  private let sharedPrefilter: LazyPrefilter
  private var ownPrefilter: Prefilter?
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
  /// Each pattern's regex made ready for this matcher's thread (``RegexMatcher/Prepared``), on
  /// its first candidate line: the regexes are shared with the matchers of other threads, and
  /// matching through them directly locked and counted references on what both threads touch.
  private var prepared: [RegexMatcher.Prepared?]
  /// Bytes searched so far, and after how many the matcher moves to Vectorscan (`Int.max`:
  /// never).
  private var bytesSearched = 0
  public let vectorscanAfter: Int
  /// Vectorscan's databases with this matcher's scratch spaces, once moved (``fastSettled``).
  private var fast: Fast?
  /// Whether the compile finished (``fast`` is nil when Vectorscan took nothing).
  private var fastSettled = false
  /// The compile of Vectorscan's databases, shared with the matchers made by
  /// ``forAnotherThread(bytesSearched:)``: done once, on another thread.
  private let compile: SharedCompile

  /// A ``Prefilter`` built once, on the first thread that needs it.
  final class LazyPrefilter: @unchecked Sendable {
    private let lock: UnsafeMutablePointer<pthread_mutex_t> = {
      let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
      pthread_mutex_init(lock, nil)
      return lock
    }()
    private let needles: [[UInt8]]
    private var built: Prefilter?

    init(needles: [[UInt8]]) { self.needles = needles }

    deinit {
      pthread_mutex_destroy(lock)
      lock.deallocate()
    }

    var prefilter: Prefilter {
      pthread_mutex_lock(lock)
      defer { pthread_mutex_unlock(lock) }
      if let built { return built }
      let made = Prefilter(needles: needles)
      built = made
      return made
    }
  }

  /// Vectorscan's databases, compiled once for a matcher and the copies it made for other
  /// threads, and handed over from the thread that compiled them.
  final class SharedCompile: @unchecked Sendable {
    private let lock: UnsafeMutablePointer<pthread_mutex_t> = {
      let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
      pthread_mutex_init(lock, nil)
      return lock
    }()
    private var started = false
    private var done = false
    private var value: FastDatabases?
    /// Whether the databases came ready (from a ``StoredPrefilter``): every matcher sharing
    /// them starts on them.
    private(set) var preset = false

    init() {}

    /// Databases that need no compile.
    init(ready: FastDatabases) {
      started = true
      done = true
      value = ready
      preset = true
    }

    deinit {
      pthread_mutex_destroy(lock)
      lock.deallocate()
    }

    /// Starts the compile unless it was started: on this thread when `synchronously`, else on
    /// another one.
    func start(synchronously: Bool, _ make: @escaping @Sendable () -> FastDatabases?) {
      pthread_mutex_lock(lock)
      guard !started else {
        pthread_mutex_unlock(lock)
        return
      }
      started = true
      if synchronously {
        value = make()
        done = true
        pthread_mutex_unlock(lock)
        return
      }
      pthread_mutex_unlock(lock)
      DispatchQueue.global().async {
        let made = make()
        pthread_mutex_lock(self.lock)
        self.value = made
        self.done = true
        pthread_mutex_unlock(self.lock)
      }
    }

    /// The compiled databases once the compile has finished (`.some(nil)` when Vectorscan
    /// took nothing), nil before.
    func result() -> FastDatabases?? {
      pthread_mutex_lock(lock)
      defer { pthread_mutex_unlock(lock) }
      return done ? .some(value) : nil
    }
  }

  /// The default of ``vectorscanAfter`` for `needleCount` needles: what `LOGRX_PREFILTER`
  /// asks for, else where the compile is won back: 1 MiB, or 2 KiB a needle when that is more.
  /// (Measured: the compile costs ~80 k instructions a needle, ~130 M for the built-in set,
  /// ~650 M for 2000 rules; it saves ~125 instructions a byte on the built-in set, ~55 at 2000
  /// rules.)
  public static func defaultVectorscanAfter(needleCount: Int) -> Int {
    switch getenv("LOGRX_PREFILTER").map({ String(cString: $0) }) {
    case "builtin": Int.max
    case "vectorscan": 0
    default: max(1 << 20, needleCount * 2048)
    }
  }

  /// The Vectorscan side: literals for the needles, prefilter-mode regexes for the patterns
  /// without one (those it takes; the rest still run on every line). Shared between threads.
  final class FastDatabases: @unchecked Sendable {
    let literals: VectorscanLiterals?
    let regexes: VectorscanRegexes?
    /// ``alwaysRun`` without the patterns ``regexes`` covers.
    let alwaysRun: [Int]

    convenience init?(needles: [[UInt8]], patterns: [Pattern], alwaysRun: [Int]) {
      let literals = needles.contains { !$0.isEmpty } ? VectorscanLiterals(needles: needles) : nil
      let regexes = alwaysRun.isEmpty ? nil : VectorscanRegexes(regexes: alwaysRun.map { patterns[$0].regex })
      guard literals != nil || regexes != nil else { return nil }
      self.init(literals: literals, regexes: regexes, alwaysRun: alwaysRun)
    }

    init(literals: VectorscanLiterals?, regexes: VectorscanRegexes?, alwaysRun: [Int]) {
      self.literals = literals
      self.regexes = regexes
      let covered = Set((regexes?.covered ?? []).map { alwaysRun[$0] })
      self.alwaysRun = alwaysRun.filter { !covered.contains($0) }
    }
  }

  /// The databases with one matcher's scratch spaces.
  final class Fast {
    let literals: VectorscanLiterals?
    let literalScratch: VectorscanLiterals.Scratch?
    let regexes: VectorscanRegexes?
    let regexScratch: VectorscanRegexes.Scratch?
    let alwaysRun: [Int]

    init(_ databases: FastDatabases) {
      literals = databases.literals
      literalScratch = databases.literals?.makeScratch()
      regexes = databases.regexes
      regexScratch = databases.regexes?.makeScratch()
      alwaysRun = databases.alwaysRun
    }
  }

  /// - Parameter markers: strings (ASCII case folded) whose lines ``hits(in:starts:ends:markedLines:onLimit:)``
  ///   reports in `markedLines`.
  /// - Parameter vectorscanAfter: bytes to search before moving to Vectorscan (default
  ///   ``defaultVectorscanAfter(needleCount:)``; 0: from the start, `Int.max`: never).
  /// - Parameter stored: Vectorscan databases compiled before (a rule pack's): the one whose
  ///   ``StoredPrefilter/key`` is these patterns' ``prefilterKey`` is used from the first byte
  ///   (unless `vectorscanAfter` is `Int.max`).
  public init(patterns: [Pattern], markers: [String] = [], vectorscanAfter: Int? = nil, stored: [StoredPrefilter] = []) {
    self.patterns = patterns

    var needles: [[UInt8]] = []
    var needleIndex: [NeedleKey: Int] = [:]
    needleIndex.reserveCapacity(patterns.count * 2)
    var needlePatterns: [[Int]] = []
    var alwaysRun: [Int] = []
    for (index, pattern) in patterns.enumerated() {
      guard let literals = pattern.needles, !literals.isEmpty else {
        alwaysRun.append(index)
        continue
      }
      for literal in literals {
        let bytes = NeedleKey(folding: literal)
        if let known = needleIndex[bytes] {
          needlePatterns[known].append(index)
        } else {
          needleIndex[bytes] = needles.count
          needles.append(bytes.bytes)
          needlePatterns.append([index])
        }
      }
    }
    var markerNeedles = Set<Int>()
    for marker in markers {
      let bytes = NeedleKey(folding: marker)
      if let known = needleIndex[bytes] {
        markerNeedles.insert(known)
      } else {
        needleIndex[bytes] = needles.count
        markerNeedles.insert(needles.count)
        needles.append(bytes.bytes)
        needlePatterns.append([])
      }
    }
    var isMarker = [Bool](repeating: false, count: needles.count)
    for needle in markerNeedles { isMarker[needle] = true }
    self.isMarker = isMarker
    self.hasMarkers = !markerNeedles.isEmpty
    self.needles = needles
    self.sharedPrefilter = LazyPrefilter(needles: needles)
    self.vectorscanAfter = vectorscanAfter ?? Self.defaultVectorscanAfter(needleCount: needles.count)
    var starts: [Int32] = [0]
    for list in needlePatterns { starts.append(starts.last! + Int32(list.count)) }
    self.needlePatternStart = starts
    self.needlePatterns = needlePatterns.flatMap { $0.map { Int32($0) } }
    self.alwaysRun = alwaysRun
    self.lastLineTried = [Int](repeating: -1, count: patterns.count)
    prepared = [RegexMatcher.Prepared?](repeating: nil, count: patterns.count)
    let key = stored.isEmpty ? 0 : Self.prefilterKey(needles: needles, alwaysRun: alwaysRun.map { patterns[$0].regex })
    if !stored.isEmpty, self.vectorscanAfter < Int.max, let found = stored.first(where: { $0.key == key }),
      (found.regexes?.covered ?? []).allSatisfy({ $0 < alwaysRun.count })
    {
      let ready = FastDatabases(literals: found.literals, regexes: found.regexes, alwaysRun: alwaysRun)
      self.compile = SharedCompile(ready: ready)
      self.fast = Fast(ready)
      self.fastSettled = true
    } else {
      self.compile = SharedCompile()
    }
  }

  /// Whether this matcher started on stored databases (``StoredPrefilter``).
  public var startedOnStoredPrefilter: Bool { compile.preset }

  /// A digest of what Vectorscan's databases are compiled from: the needles in id order and the
  /// patterns without a literal (pattern and case), in order. 64-bit FNV-1a over each part
  /// behind its length.
  static func prefilterKey(needles: [[UInt8]], alwaysRun: [Regex]) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    @inline(__always) func mix(_ byte: UInt8) {
      hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
    }
    func mix(count: Int) { withUnsafeBytes(of: UInt64(count).littleEndian) { for byte in $0 { mix(byte) } } }
    mix(count: needles.count)
    for needle in needles {
      mix(count: needle.count)
      for byte in needle { mix(byte) }
    }
    mix(count: alwaysRun.count)
    for regex in alwaysRun {
      mix(count: regex.pattern.utf8.count)
      for byte in regex.pattern.utf8 { mix(byte) }
      mix(regex.caseInsensitive ? 1 : 0)
    }
    return hash
  }

  /// This matcher's Vectorscan databases, compiled now, as bytes to store (``StoredPrefilter``);
  /// nil when Vectorscan does not run here or takes none of the patterns.
  public func storedPrefilter() -> StoredPrefilter.Bytes? {
    guard VectorscanDatabase.usable,
      let databases = FastDatabases(needles: needles, patterns: patterns, alwaysRun: alwaysRun)
    else { return nil }
    let key = Self.prefilterKey(needles: needles, alwaysRun: alwaysRun.map { patterns[$0].regex })
    return StoredPrefilter.bytes(key: key, databases: databases, longestNeedle: needles.map(\.count).max() ?? 1)
  }

  private init(sharing other: PatternMatcher, bytesSearched: Int) {
    patterns = other.patterns
    needles = other.needles
    sharedPrefilter = other.sharedPrefilter
    ownPrefilter = other.ownPrefilter
    needlePatternStart = other.needlePatternStart
    needlePatterns = other.needlePatterns
    alwaysRun = other.alwaysRun
    isMarker = other.isMarker
    hasMarkers = other.hasMarkers
    lastLineTried = [Int](repeating: -1, count: other.patterns.count)
    prepared = [RegexMatcher.Prepared?](repeating: nil, count: other.patterns.count)
    vectorscanAfter = other.vectorscanAfter
    compile = other.compile
    self.bytesSearched = bytesSearched
    if compile.preset, let ready = compile.result() {
      fast = ready.map(Fast.init)
      fastSettled = true
    }
  }

  /// A matcher with the same patterns for another thread: it shares this one's prefilter,
  /// compiled regexes and Vectorscan databases (compiled once for both), and has its own
  /// match data and scratch spaces. `bytesSearched` counts towards the move to Vectorscan
  /// (the offset of a part of a file that another thread reads).
  public func forAnotherThread(bytesSearched: Int = 0) -> PatternMatcher {
    PatternMatcher(sharing: self, bytesSearched: bytesSearched)
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
    var prepared = self.prepared
    self.prepared = []
    defer {
      self.lastLineTried = lastLineTried
      self.prepared = prepared
    }
    for index in lastLineTried.indices { lastLineTried[index] = -1 }
    var candidates: [Int] = []
    var currentLine = 0

    let lineCount = starts.count
    bytesSearched += bytes.count
    if !fastSettled, vectorscanAfter < Int.max, bytesSearched >= vectorscanAfter {
      // Compiled on another thread unless asked from the first byte: a live stream (`watch`)
      // must not wait ~30 ms for it between two lines; this matcher goes on with its own
      // prefilter until it is ready.
      let (needles, patterns, alwaysRun) = (self.needles, patterns, self.alwaysRun)
      nonisolated(unsafe) let sendablePatterns = patterns
      compile.start(synchronously: vectorscanAfter == 0) {
        FastDatabases(needles: needles, patterns: sendablePatterns, alwaysRun: alwaysRun)
      }
      if let outcome = compile.result() {
        fastSettled = true
        fast = outcome.map(Fast.init)
      }
    }
    // Lines where a pattern without a literal may match (Vectorscan's prefilter mode), as
    // (end, pattern) in order of end; the patterns it covers then need not run everywhere.
    var alwaysRun = self.alwaysRun
    var regexHits: [(end: Int, pattern: Int)] = []
    if let fast, let regexes = fast.regexes, let scratch = fast.regexScratch, Self.joinedByNewlines(bytes, starts, ends),
      regexes.scan(bytes, scratch: scratch, hit: { [alwaysRun] in regexHits.append(($0, alwaysRun[$1])) })
    {
      alwaysRun = fast.alwaysRun
    }
    let literals = fast?.literals
    let literalScratch = fast?.literalScratch
    if literals == nil || literalScratch == nil, ownPrefilter == nil { ownPrefilter = sharedPrefilter.prefilter }
    let prefilter = ownPrefilter
    /// The needle occurrences, in order of end or of start offset (a needle's occurrence is
    /// on one line, so its lines come in order either way).
    func scanNeedles(_ hit: (Int, Int) -> Void) {
      if let literals, let literalScratch {
        literals.scan(bytes, scratch: literalScratch, hit: hit)
      } else {
        prefilter?.scan(bytes, hit: hit)
      }
    }
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
            let regex: RegexMatcher.Prepared
            if let ready = prepared[entry] {
              regex = ready
            } else {
              regex = matcher.prepare(patterns[entry].regex)
              prepared[entry] = regex
            }
            switch matcher.match(regex, in: subject) {
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

        /// Notes a pattern as a candidate on `line`.
        func notePattern(_ entry: Int, line: Int) {
          if lastLineTried[entry] != line {
            lastLineTried[entry] = line
            candidates.append(entry)
          }
        }
        var nextRegexHit = 0
        if alwaysRun.isEmpty {
          /// Moves to the line of `position`, searching the lines passed.
          func advance(to position: Int) {
            while currentLine + 1 < lineCount, ends[currentLine] < position {
              flush(currentLine)
              currentLine += 1
            }
          }
          /// Notes the regex hits that end at or before `end`.
          func takeRegexHits(upTo end: Int) {
            while nextRegexHit < regexHits.count, regexHits[nextRegexHit].end <= end {
              advance(to: regexHits[nextRegexHit].end - 1)
              notePattern(regexHits[nextRegexHit].pattern, line: currentLine)
              nextRegexHit += 1
            }
          }
          scanNeedles { end, needle in
            takeRegexHits(upTo: end)
            // The needle ends at `end`; find its line (hits come in order).
            advance(to: end - 1)
            note(needle, line: currentLine)
          }
          takeRegexHits(upTo: Int.max)
          flush(currentLine)
        } else {
          // Some signature runs everywhere: visit every line.
          var needlesByLine: [Int: [Int]] = [:]
          scanNeedles { end, needle in
            let position = end - 1
            while currentLine + 1 < lineCount, ends[currentLine] < position { currentLine += 1 }
            needlesByLine[currentLine, default: []].append(needle)
          }
          var patternsByLine: [Int: [Int]] = [:]
          currentLine = 0
          for hit in regexHits {
            while currentLine + 1 < lineCount, ends[currentLine] < hit.end - 1 { currentLine += 1 }
            patternsByLine[currentLine, default: []].append(hit.pattern)
          }
          for line in 0..<lineCount {
            for needle in needlesByLine[line] ?? [] { note(needle, line: line) }
            for entry in patternsByLine[line] ?? [] { notePattern(entry, line: line) }
            flush(line)
          }
        }
      }
    }
    return hits
  }

  /// Whether each line is followed by one `\n` and then the next line (a ``LineBatch``'s
  /// layout), as Vectorscan's multi-line `^` and `$` need.
  static func joinedByNewlines(
    _ bytes: UnsafeRawBufferPointer, _ starts: UnsafeBufferPointer<Int>, _ ends: UnsafeBufferPointer<Int>
  ) -> Bool {
    for line in 0..<starts.count {
      guard ends[line] < bytes.count, bytes[ends[line]] == UInt8(ascii: "\n") else { return false }
      if line + 1 < starts.count, starts[line + 1] != ends[line] + 1 { return false }
    }
    return starts.first == 0
  }
}

/// A needle's folded bytes as a dictionary key hashed in one go (an `[UInt8]` key is hashed
/// byte by byte: with 13 000 needles at 2000 rules that was a third of building a matcher).
private struct NeedleKey: Hashable {
  let bytes: [UInt8]

  init(folding literal: String) {
    var literal = literal
    bytes = literal.withUTF8 { utf8 in
      [UInt8](unsafeUninitializedCapacity: utf8.count) { buffer, count in
        for index in 0..<utf8.count { buffer[index] = Prefilter.fold(utf8[index]) }
        count = utf8.count
      }
    }
  }

  func hash(into hasher: inout Hasher) {
    bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
  }
}
