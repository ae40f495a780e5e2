import CPCRE2

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A compiled PCRE2 pattern over bytes, JIT-compiled when the platform allows.
///
/// This is the only file that imports `CPCRE2`. Patterns match bytes (no UTF-8 mode), so
/// invalid UTF-8 in a log never stops a match. Every match runs with a match limit and a
/// depth limit: a pathological pattern on a pathological line ends with
/// ``RegexOutcome/limitExceeded`` instead of hanging.
///
/// The JIT compiles a pattern the first time it is matched, not when it is compiled: most rules
/// never see a line that holds their literal, and start-up (`logrx explain` on a paste) should
/// not pay for machine code that never runs.
///
/// A `Regex` is safe to share between threads (the one-time JIT step is behind a lock); each
/// thread matches with its own ``RegexMatcher``, which owns the PCRE2 match data.
public final class Regex: @unchecked Sendable {
  /// The pattern as written.
  public let pattern: String
  /// The names of the capture groups, in group-number order.
  public let captureNames: [String]
  /// Whether the JIT compiled this pattern (it does so before the first match; this asks it
  /// to now).
  public var isJITCompiled: Bool {
    prepareForMatching()
    return jitCompiled
  }

  /// Whether PCRE2 compiled the pattern (a built-in pattern is compiled now if it was not).
  public var isCompiled: Bool { prepareForMatching() != nil }

  /// The compiled pattern: set at init, or on first use for a pattern checked when the
  /// binary was built (``init(checked:groups:)``).
  private var compiled: OpaquePointer?
  /// Whether the pattern was compiled with PCRE2_CASELESS (not in its text).
  public let caseInsensitive: Bool
  /// Set once, under `jitLock`, before the first match.
  private var jitTried = false
  private var jitCompiled = false
  private let jitLock: UnsafeMutablePointer<pthread_mutex_t>
  /// Group number for each capture name.
  package let groupNumbers: [(name: String, number: Int)]

  /// The PCRE2 library's version, such as `10.42 2022-12-11` (a compiled rule pack records it:
  /// its patterns were checked, and their groups numbered, by this version).
  public static let engineVersion: String = {
    var buffer = [UInt8](repeating: 0, count: 64)
    let length = buffer.withUnsafeMutableBytes { pcre2_config_8(UInt32(PCRE2_CONFIG_VERSION), $0.baseAddress) }
    guard length > 1 else { return "unknown" }
    return String(decoding: buffer[0..<Int(length - 1)], as: UTF8.self)
  }()

  /// PCRE2's match limit for every match: the number of backtracking steps it may take.
  public static let matchLimit: UInt32 = 1_000_000
  /// PCRE2's depth limit for every match.
  public static let depthLimit: UInt32 = 10_000

  /// Compiles `pattern`.
  ///
  /// - Throws: ``RegexError`` with PCRE2's message and the byte offset in the pattern
  ///   where compilation failed.
  public init(_ pattern: String, caseInsensitive: Bool = false) throws(RegexError) {
    self.pattern = pattern
    self.caseInsensitive = caseInsensitive
    let compiled: OpaquePointer
    switch Regex.compile(pattern, caseInsensitive: caseInsensitive) {
    case .success(let code): compiled = code
    case .failure(let error): throw error
    }
    self.compiled = compiled
    jitLock = .allocate(capacity: 1)
    pthread_mutex_init(jitLock, nil)

    var nameCount: UInt32 = 0
    var entrySize: UInt32 = 0
    _ = logrx_pcre2_info_uint32(compiled, UInt32(PCRE2_INFO_NAMECOUNT), &nameCount)
    _ = logrx_pcre2_info_uint32(compiled, UInt32(PCRE2_INFO_NAMEENTRYSIZE), &entrySize)
    var table: UnsafePointer<UInt8>?
    _ = logrx_pcre2_name_table(compiled, &table)
    var groups: [(String, Int)] = []
    if let table, nameCount > 0 {
      for index in 0..<Int(nameCount) {
        let entry = table + index * Int(entrySize)
        let number = Int(entry[0]) << 8 | Int(entry[1])
        var length = 0
        while length < Int(entrySize) - 2, entry[2 + length] != 0 { length += 1 }
        let name = String(decoding: UnsafeBufferPointer(start: entry + 2, count: length), as: UTF8.self)
        groups.append((name, number))
      }
    }
    groups.sort { $0.1 < $1.1 }
    groupNumbers = groups
    captureNames = Regex.names(groups)
  }

  /// A pattern that compiled when the binary was built (the built-in rules), with its named
  /// groups as PCRE2 numbered them then. PCRE2 compiles it the first time it is matched:
  /// start-up pays for no pattern that never sees a candidate line.
  package init(checked pattern: String, groups: [(name: String, number: Int)]) {
    self.pattern = pattern
    caseInsensitive = false
    compiled = nil
    jitLock = .allocate(capacity: 1)
    pthread_mutex_init(jitLock, nil)
    groupNumbers = groups
    captureNames = Regex.names(groups)
  }

  private static func names(_ groups: [(name: String, number: Int)]) -> [String] {
    var names: [String] = []
    for (name, _) in groups where !names.contains(name) { names.append(name) }
    return names
  }

  private static func compile(_ pattern: String, caseInsensitive: Bool) -> Result<OpaquePointer, RegexError> {
    var errorCode: Int32 = 0
    var errorOffset = 0
    // Duplicate names let alternatives share a capture: (?<var>A)|(?<var>B).
    var options: UInt32 = UInt32(PCRE2_DUPNAMES)
    if caseInsensitive { options |= UInt32(PCRE2_CASELESS) }
    let bytes = Array(pattern.utf8)
    let compiled = bytes.withUnsafeBufferPointer { buffer in
      logrx_pcre2_compile(buffer.baseAddress, buffer.count, options, &errorCode, &errorOffset)
    }
    guard let compiled else {
      return .failure(RegexError(message: Regex.message(for: errorCode), offset: errorOffset))
    }
    return .success(compiled)
  }

  deinit {
    if let compiled { logrx_pcre2_code_free(compiled) }
    pthread_mutex_destroy(jitLock)
    jitLock.deallocate()
  }

  /// Compiles and JIT-compiles the pattern unless that was done (or tried) already, and
  /// returns the compiled code (nil only if a checked pattern no longer compiles, which the
  /// built-in rules' test rules out). Matching calls this; without the JIT, PCRE2's
  /// interpreter gives the same results, slower.
  @inline(__always)
  @discardableResult
  func prepareForMatching() -> OpaquePointer? {
    pthread_mutex_lock(jitLock)
    defer { pthread_mutex_unlock(jitLock) }
    if !jitTried {
      jitTried = true
      if compiled == nil, case .success(let code) = Regex.compile(pattern, caseInsensitive: caseInsensitive) {
        // The group numbers came with the pattern (the built-in rules, a compiled rule pack):
        // one beyond the pattern's groups would read past PCRE2's match data, so such a
        // pattern is left uncompiled (it never matches) instead.
        var groupCount: UInt32 = 0
        _ = logrx_pcre2_info_uint32(code, UInt32(PCRE2_INFO_CAPTURECOUNT), &groupCount)
        if groupNumbers.allSatisfy({ $0.number >= 0 && $0.number <= Int(groupCount) }) {
          compiled = code
        } else {
          logrx_pcre2_code_free(code)
        }
      }
      if let compiled { jitCompiled = logrx_pcre2_jit_compile(compiled) == 0 }
    }
    return compiled
  }

  /// A lower bound on the bytes a match spans (PCRE2's `PCRE2_INFO_MINLENGTH`): 0 when the
  /// regex may match the empty string (or PCRE2 cannot tell); nil when it does not compile.
  public var minimumLength: Int? {
    guard let code = prepareForMatching() else { return nil }
    var value: UInt32 = 0
    guard logrx_pcre2_info_uint32(code, UInt32(PCRE2_INFO_MINLENGTH), &value) == 0 else { return nil }
    return Int(value)
  }

  static func message(for errorCode: Int32) -> String {
    var buffer = [UInt8](repeating: 0, count: 256)
    let length = buffer.withUnsafeMutableBufferPointer {
      logrx_pcre2_error_message(errorCode, $0.baseAddress, $0.count)
    }
    guard length > 0 else { return "PCRE2 error \(errorCode)" }
    return String(decoding: buffer[0..<Int(length)], as: UTF8.self)
  }
}

/// A pattern that PCRE2 refused to compile.
public struct RegexError: Error, Equatable, Sendable {
  /// PCRE2's own message, such as "missing closing parenthesis".
  public var message: String
  /// Byte offset in the pattern where PCRE2 stopped.
  public var offset: Int
}

/// The result of one match attempt.
public enum RegexOutcome: Equatable, Sendable {
  /// The pattern matched; captures are the named groups that took part, as byte ranges
  /// into the subject, and `range` is the whole match.
  case match(range: Range<Int>, captures: [String: Range<Int>])
  case noMatch
  /// PCRE2's match or depth limit stopped the search: treat as no match, and report it.
  case limitExceeded
}

/// Runs matches for one thread: owns PCRE2 match data for each regex it has seen.
///
/// Not thread-safe; make one per thread (or per search).
public final class RegexMatcher {
  /// A regex made ready for this matcher's thread (``prepare(_:)``): its compiled code, this
  /// thread's match data, and a copy of its group numbers of this thread's own. Matching
  /// through it touches nothing another thread writes: not the regex's lock, not its
  /// reference count, which every thread matching the parts of a file took for every match of
  /// a shared `Regex`.
  public struct Prepared {
    fileprivate let code: OpaquePointer?
    fileprivate let data: OpaquePointer?
    fileprivate let groups: [(name: String, number: Int)]
  }

  private var matchData: [ObjectIdentifier: OpaquePointer] = [:]
  private let context: OpaquePointer?

  public init() {
    context = logrx_pcre2_match_context_create(Regex.matchLimit, Regex.depthLimit)
  }

  deinit {
    for data in matchData.values { logrx_pcre2_match_data_free(data) }
    if let context { logrx_pcre2_match_context_free(context) }
  }

  /// `regex` ready to run on this matcher (compiled on first use, as ``match(_:in:from:)``
  /// does); its match data lives as long as this matcher.
  public func prepare(_ regex: Regex) -> Prepared {
    guard let code = regex.prepareForMatching(), let data = data(for: regex, code: code) else {
      return Prepared(code: nil, data: nil, groups: [])
    }
    // A copy of the group numbers' storage, not a reference to the regex's.
    var groups: [(name: String, number: Int)] = []
    groups.reserveCapacity(regex.groupNumbers.count)
    for group in regex.groupNumbers { groups.append(group) }
    return Prepared(code: code, data: data, groups: groups)
  }

  private func data(for regex: Regex, code: OpaquePointer) -> OpaquePointer? {
    let key = ObjectIdentifier(regex)
    if let existing = matchData[key] { return existing }
    guard let created = logrx_pcre2_match_data_create(code) else { return nil }
    matchData[key] = created
    return created
  }

  /// Matches `regex` against `subject` (a line, without its terminator), from byte `start` on
  /// (what comes before still counts for look-behind and `\b`).
  public func match(_ regex: Regex, in subject: UnsafeRawBufferPointer, from start: Int = 0) -> RegexOutcome {
    guard let code = regex.prepareForMatching(), let data = data(for: regex, code: code) else { return .noMatch }
    return match(code: code, data: data, groups: regex.groupNumbers, in: subject, from: start)
  }

  /// Matches a regex made ready by ``prepare(_:)`` on this matcher: the same outcome as
  /// ``match(_:in:from:)`` with the regex itself.
  public func match(_ prepared: Prepared, in subject: UnsafeRawBufferPointer, from start: Int = 0) -> RegexOutcome {
    guard let code = prepared.code, let data = prepared.data else { return .noMatch }
    return match(code: code, data: data, groups: prepared.groups, in: subject, from: start)
  }

  @inline(__always)
  private func match(
    code: OpaquePointer, data: OpaquePointer, groups: [(name: String, number: Int)], in subject: UnsafeRawBufferPointer, from start: Int
  ) -> RegexOutcome {
    // An empty buffer may have a nil base address; PCRE2 wants a valid pointer.
    var empty: UInt8 = 0
    let base = subject.baseAddress?.assumingMemoryBound(to: UInt8.self)
    let result = withUnsafePointer(to: &empty) { emptyPointer in
      logrx_pcre2_match(code, base ?? emptyPointer, subject.count, start, 0, data, context)
    }
    if result == PCRE2_ERROR_NOMATCH { return .noMatch }
    if result == PCRE2_ERROR_MATCHLIMIT || result == PCRE2_ERROR_DEPTHLIMIT
      || result == PCRE2_ERROR_HEAPLIMIT || result == PCRE2_ERROR_JIT_STACKLIMIT
    {
      return .limitExceeded
    }
    guard result >= 0, let ovector = logrx_pcre2_ovector(data) else { return .noMatch }
    let whole = ovector[0]..<ovector[1]
    var captures: [String: Range<Int>] = [:]
    for (name, number) in groups {
      let start = ovector[2 * number]
      let end = ovector[2 * number + 1]
      if start >= 0, end >= 0, start <= end {
        // Two groups may share a name only with (?J); the first one that took part wins.
        if captures[name] == nil { captures[name] = start..<end }
      }
    }
    return .match(range: whole, captures: captures)
  }

  /// Convenience for tests and cold paths: matches a Swift string.
  public func match(_ regex: Regex, in subject: String) -> RegexOutcome {
    var copy = subject
    return copy.withUTF8 { match(regex, in: UnsafeRawBufferPointer($0)) }
  }
}
