import CVectorscan

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The needles of a ``Prefilter`` compiled by Vectorscan (the portable fork of Intel's
/// Hyperscan) as case-insensitive literals: its SIMD literal matchers (Teddy, FDR, "noodle"
/// for one needle) find every occurrence in one pass, several bytes a step.
///
/// This is the only file that imports `CVectorscan`. A compiled database is immutable and
/// shared between threads; the scratch space a scan needs is not, so each scanning object
/// (a ``PatternMatcher``) keeps its own ``Scratch``.
public final class VectorscanLiterals: @unchecked Sendable {
  private let database: OpaquePointer
  /// The length of the longest needle.
  private let longest: Int

  /// Compiles `needles` (empty ones left out; ids are indexes into `needles`). Nil when this
  /// CPU cannot run Vectorscan (it needs SSE4.2 on x86-64), when `LOGRX_PREFILTER=builtin`
  /// asks for logrx's own prefilter, or when the compile fails: the caller then uses
  /// ``Prefilter``'s own scan, which finds the same hits.
  ///
  /// - Parameter pieceSize: the bytes one `hs_scan` covers at most (see ``scan(_:scratch:hit:)``).
  public init?(needles: [[UInt8]], pieceSize: Int = 1 << 20) {
    if let choice = getenv("LOGRX_PREFILTER"), String(cString: choice) == "builtin" { return nil }
    guard hs_valid_platform() == HS_SUCCESS else { return nil }
    let ids = needles.indices.filter { !needles[$0].isEmpty }
    guard !ids.isEmpty, ids.count < Int(UInt32.max) else { return nil }
    var pointers: [UnsafePointer<CChar>?] = []
    var storage: [UnsafeMutablePointer<CChar>] = []
    defer { storage.forEach { $0.deallocate() } }
    for id in ids {
      let bytes = needles[id]
      let copy = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count)
      for (index, byte) in bytes.enumerated() { copy[index] = CChar(bitPattern: byte) }
      storage.append(copy)
      pointers.append(UnsafePointer(copy))
    }
    let lengths = ids.map { needles[$0].count }
    let idValues = ids.map { UInt32($0) }
    var database: OpaquePointer?
    var message: UnsafeMutablePointer<CChar>?
    let status = logrx_hs_compile_literals(pointers, lengths, idValues, UInt32(ids.count), &database, &message)
    if let message { logrx_hs_free_message(message) }
    guard status == 0, let database else { return nil }
    self.database = database
    self.longest = needles.map(\.count).max() ?? 1
    self.pieceSize = min(max(pieceSize, 4 * longest), Int(UInt32.max))
  }

  /// The database read back from ``serialized()``, for needles of at most `longest` bytes.
  init(database: OpaquePointer, longest: Int, pieceSize: Int = 1 << 20) {
    self.database = database
    self.longest = max(longest, 1)
    self.pieceSize = min(max(pieceSize, 4 * longest), Int(UInt32.max))
  }

  deinit { hs_free_database(database) }

  /// The database as bytes (``VectorscanDatabase/deserialize(_:)`` reads them back).
  func serialized() -> [UInt8]? { VectorscanDatabase.serialize(database) }

  /// Scratch space and the hit array of one scanning object; not to be shared between threads.
  public final class Scratch {
    fileprivate var scratch: OpaquePointer?
    fileprivate var hits = logrx_hs_hits()

    deinit {
      if let scratch { hs_free_scratch(scratch) }
      logrx_hs_hits_free(&hits)
    }
  }

  /// A scratch space for this database.
  public func makeScratch() -> Scratch {
    let scratch = Scratch()
    let status = hs_alloc_scratch(database, &scratch.scratch)
    precondition(status == HS_SUCCESS, "Vectorscan could not allocate its scratch space (error \(status)): out of memory")
    return scratch
  }

  /// Finds every occurrence in `buffer` and calls `hit(end, needleID)` for each, in order
  /// of end offset (ties by needle id). The buffer is scanned in overlapping pieces of
  /// ``pieceSize`` bytes: the hits of one piece are held until it is sorted, so a piece bounds
  /// that memory (8 bytes a hit; a 100 MB line of one repeated needle would otherwise hold
  /// 800 MB of them), and `hs_scan` takes at most 4 GiB.
  public func scan(_ buffer: UnsafeRawBufferPointer, scratch: Scratch, hit: (Int, Int) -> Void) {
    guard let base = buffer.baseAddress, buffer.count > 0 else { return }
    let piece = pieceSize
    guard buffer.count > piece else {
      scanPiece(base, count: buffer.count, scratch: scratch) { end, id in hit(end, id) }
      return
    }
    // Each piece starts `overlap` bytes before the end of the one before, so a needle across
    // the seam is found whole; hits ending in the overlap were reported already.
    let overlap = longest - 1
    var start = 0
    var reportedUpTo = 0
    while start < buffer.count {
      let count = min(piece, buffer.count - start)
      let offset = start
      let floor = reportedUpTo
      scanPiece(base + start, count: count, scratch: scratch) { end, id in
        if offset + end > floor { hit(offset + end, id) }
      }
      reportedUpTo = start + count
      if reportedUpTo == buffer.count { break }
      start = reportedUpTo - overlap
    }
  }

  /// The bytes one `hs_scan` covers at most (at least 4 × the longest needle).
  public let pieceSize: Int

  private func scanPiece(_ base: UnsafeRawPointer, count: Int, scratch: Scratch, hit: (Int, Int) -> Void) {
    scratch.hits.count = 0
    scratch.hits.failed = 0
    let status = logrx_hs_scan(database, scratch.scratch, base.assumingMemoryBound(to: CChar.self), UInt32(count), &scratch.hits)
    // The database and scratch are valid by construction; what is left is running out of memory.
    precondition(status == 0, "Vectorscan scan failed (error \(status)): out of memory")
    inEndOrder(scratch.hits) { end, id in hit(end, id) }
  }
}

/// Calls `body` with each `(end << 32) | id` hit's end and id, in end-offset order: Vectorscan
/// does not promise it (a literal ending earlier may be reported after one ending later), so
/// the hits are sorted when they are not.
private func inEndOrder(_ found: logrx_hs_hits, _ body: (_ end: Int, _ id: Int) -> Void) {
  guard found.count > 0, let hits = found.hits else { return }
  let count = found.count
  var sorted = true
  for index in 1..<count where hits[index - 1] > hits[index] {
    sorted = false
    break
  }
  if !sorted {
    var all = UnsafeMutableBufferPointer(start: hits, count: count)
    all.sort()
  }
  for index in 0..<count {
    let value = hits[index]
    body(Int(truncatingIfNeeded: value >> 32), Int(truncatingIfNeeded: value & 0xFFFF_FFFF))
  }
}

/// Regexes that have no literal for the prefilter (they would run on every line), compiled
/// by Vectorscan in prefilter mode: an approximation of each regex that matches whatever the
/// regex matches, and maybe more (look-around and back-references are dropped), over the
/// lines of a buffer joined by `\n` (multi-line `^` and `$`). A hit says the regex may match on
/// the line where the hit ends; PCRE2 then decides there, so the results stay PCRE2's.
///
/// A regex Vectorscan refuses, one that may match the empty string (PCRE2's minimum length
/// is 0), and one with `\A`, `\z`, `\Z` or `\G` (which would mean the whole buffer's start or
/// end, not a line's) stays out: its caller runs it on every line as before.
///
/// A regex that Vectorscan shows cannot match a line does not run there, so PCRE2's match
/// limit is not hit there either: as for a regex whose literal a line lacks, no limit
/// diagnostic is reported for such a line.
public final class VectorscanRegexes: @unchecked Sendable {
  private let database: OpaquePointer
  /// For each id Vectorscan reports, the index of the regex in the list given.
  public let covered: [Int]

  /// Nil when this machine cannot run Vectorscan, `LOGRX_PREFILTER=builtin` is set, or it took
  /// none of the regexes.
  public init?(regexes: [Regex]) {
    if let choice = getenv("LOGRX_PREFILTER"), String(cString: choice) == "builtin" { return nil }
    guard hs_valid_platform() == HS_SUCCESS else { return nil }
    // An empty match is never reported by Vectorscan (it refuses most such patterns, but
    // takes some, such as `^(\w+\s?)*$` in multi-line mode): a regex that may match the empty
    // string stays with PCRE2 on every line, or an empty line it matches would be lost.
    let candidates = regexes.indices.filter {
      !Self.anchorsBuffer(regexes[$0].pattern) && !regexes[$0].pattern.utf8.contains(0) && (regexes[$0].minimumLength ?? 0) > 0
    }
    /// One database of `indexes`, nil when Vectorscan refuses one of them.
    func compile(_ indexes: [Int]) -> OpaquePointer? {
      guard !indexes.isEmpty else { return nil }
      let copies = indexes.map { strdup(regexes[$0].pattern) }
      defer { copies.forEach { free($0) } }
      let pointers = copies.map { UnsafePointer($0) }
      let caseless = indexes.map { Int32(regexes[$0].caseInsensitive ? 1 : 0) }
      let ids = indexes.indices.map { UInt32($0) }
      var database: OpaquePointer?
      guard logrx_hs_compile_prefilter(pointers, caseless, ids, UInt32(indexes.count), &database) == 0 else { return nil }
      return database
    }
    // All at once first (the compile is most of the cost); when one is refused, each alone to
    // find out which, then the rest together.
    var covered = candidates
    var compiled = compile(covered)
    if compiled == nil {
      covered = candidates.filter { logrx_hs_check_prefilter(regexes[$0].pattern, regexes[$0].caseInsensitive ? 1 : 0) == 0 }
      compiled = compile(covered)
    }
    guard let database = compiled else { return nil }
    self.database = database
    self.covered = covered
  }

  /// The database read back from ``serialized()``, with the ``covered`` it was compiled with.
  init(database: OpaquePointer, covered: [Int]) {
    self.database = database
    self.covered = covered
  }

  deinit { hs_free_database(database) }

  /// The database as bytes (``VectorscanDatabase/deserialize(_:)`` reads them back).
  func serialized() -> [UInt8]? { VectorscanDatabase.serialize(database) }

  /// Whether `pattern` has `\A`, `\z`, `\Z` or `\G` (escaped backslashes skipped; inside a
  /// character class too, which only leaves a few more regexes to PCRE2 alone): anchors that
  /// Vectorscan would apply to the whole buffer, not to a line.
  static func anchorsBuffer(_ pattern: String) -> Bool {
    var escaped = false
    for byte in pattern.utf8 {
      if escaped {
        if byte == UInt8(ascii: "A") || byte == UInt8(ascii: "z") || byte == UInt8(ascii: "Z") || byte == UInt8(ascii: "G") { return true }
        escaped = false
      } else if byte == UInt8(ascii: "\\") {
        escaped = true
      }
    }
    return false
  }

  /// Scratch space, the hit array and each regex's last hit, for one scanning object.
  public final class Scratch {
    fileprivate var scratch: OpaquePointer?
    fileprivate var lines = logrx_hs_line_hits()
    fileprivate let last: UnsafeMutablePointer<Int64>
    fileprivate let count: Int

    init(count: Int) {
      self.count = count
      last = .allocate(capacity: max(count, 1))
      lines.last = UnsafeMutablePointer<CLongLong>(OpaquePointer(last))
    }

    deinit {
      if let scratch { hs_free_scratch(scratch) }
      logrx_hs_hits_free(&lines.hits)
      last.deallocate()
    }
  }

  public func makeScratch() -> Scratch {
    let scratch = Scratch(count: covered.count)
    let status = hs_alloc_scratch(database, &scratch.scratch)
    precondition(status == HS_SUCCESS, "Vectorscan could not allocate its scratch space (error \(status)): out of memory")
    return scratch
  }

  /// Scans lines joined by `\n` and calls `hit(end, regexIndex)` for each line where a regex
  /// may match (`end`: just past the approximate match, on that line), in order of `end`.
  /// False, with nothing reported, for a buffer over 4 GiB: the caller then runs the regexes
  /// on every line.
  public func scan(_ buffer: UnsafeRawBufferPointer, scratch: Scratch, hit: (Int, Int) -> Void) -> Bool {
    guard let base = buffer.baseAddress, buffer.count > 0 else { return true }
    guard buffer.count <= Int(UInt32.max) else { return false }
    for index in 0..<scratch.count { scratch.last[index] = -1 }
    scratch.lines.hits.count = 0
    scratch.lines.hits.failed = 0
    let status = logrx_hs_scan_lines(
      database, scratch.scratch, base.assumingMemoryBound(to: CChar.self), UInt32(buffer.count), &scratch.lines)
    precondition(status == 0, "Vectorscan scan failed (error \(status)): out of memory")
    inEndOrder(scratch.lines.hits) { end, id in hit(end, covered[id]) }
    return true
  }
}

/// Vectorscan databases as bytes: what a compiled rule pack keeps (``StoredPrefilter``).
enum VectorscanDatabase {
  /// The version of the Vectorscan library in use (`hs_version()`), as a pack records it.
  static var version: String { String(cString: hs_version()) }

  /// Whether this machine runs Vectorscan (and `LOGRX_PREFILTER=builtin` does not ask otherwise).
  static var usable: Bool {
    if let choice = getenv("LOGRX_PREFILTER"), String(cString: choice) == "builtin" { return false }
    return hs_valid_platform() == HS_SUCCESS
  }

  static func serialize(_ database: OpaquePointer) -> [UInt8]? {
    var bytes: UnsafeMutablePointer<CChar>?
    var length = 0
    guard logrx_hs_serialize(database, &bytes, &length) == HS_SUCCESS, let bytes else { return nil }
    defer { logrx_hs_free_serialized(bytes) }
    return Array(UnsafeRawBufferPointer(start: bytes, count: length))
  }

  /// Why bytes did not give a database.
  enum Failure: Error {
    /// Written by another Vectorscan version, for another CPU, or in another mode: usable
    /// elsewhere, compiled again here.
    case unfit(String)
    /// Not a database at all.
    case damaged(String)
  }

  /// The database in `bytes`. Vectorscan checks the header (magic, version, platform, mode,
  /// length) and the bytecode's CRC-32 before it hands a database out.
  static func deserialize(_ bytes: [UInt8]) -> Result<OpaquePointer, Failure> {
    var database: OpaquePointer?
    let status = bytes.withUnsafeBytes { raw in
      logrx_hs_deserialize(raw.baseAddress?.assumingMemoryBound(to: CChar.self), raw.count, &database)
    }
    switch status {
    case HS_SUCCESS:
      guard let database else { return .failure(.damaged("Vectorscan gave no database")) }
      return .success(database)
    case HS_DB_VERSION_ERROR: return .failure(.unfit("written by another Vectorscan version"))
    case HS_DB_PLATFORM_ERROR: return .failure(.unfit("compiled for another CPU"))
    case HS_DB_MODE_ERROR: return .failure(.unfit("compiled in another mode"))
    case HS_NOMEM: return .failure(.unfit("out of memory"))
    default: return .failure(.damaged("Vectorscan refuses it as a database (error \(status))"))
    }
  }
}
