/// Vectorscan's databases for the patterns of one ``PatternMatcher``, compiled once and kept
/// as bytes (in a compiled rule pack, `logrx rules compile`): a matcher whose patterns give
/// the same ``key`` starts on them at its first byte, compiles nothing and builds no prefilter
/// of its own. For 2000 rules that is ~650 M instructions of compile and ~110 M of
/// ``Prefilter`` not spent at each start.
///
/// The bytes record the Vectorscan version that wrote them; Vectorscan itself checks its
/// header (version, CPU features, mode, length) and the CRC-32 of the bytecode when it reads
/// them. Bytes from another version, for another CPU or mode are not an error: the matcher
/// compiles its databases as it would without them. Bytes that are not a database at all are
/// (``load(_:)`` throws): the pack holding them is damaged.
public final class StoredPrefilter: @unchecked Sendable {
  /// What a pack keeps.
  public struct Bytes: Sendable, Equatable {
    /// ``PatternMatcher/prefilterKey``: the patterns the databases were compiled for.
    public var key: UInt64
    /// `hs_version()` of the Vectorscan that compiled them.
    public var engineVersion: String
    /// The needles' literal database (empty: none), and the length of the longest needle.
    public var literals: [UInt8]
    public var longestNeedle: Int
    /// The prefilter-mode database of the patterns without a literal (empty: none), and the
    /// indexes (among those patterns) it covers.
    public var regexes: [UInt8]
    public var covered: [Int]

    public init(key: UInt64, engineVersion: String, literals: [UInt8], longestNeedle: Int, regexes: [UInt8], covered: [Int]) {
      self.key = key
      self.engineVersion = engineVersion
      self.literals = literals
      self.longestNeedle = longestNeedle
      self.regexes = regexes
      self.covered = covered
    }
  }

  /// Bytes that are not a Vectorscan database although the version is this one.
  public struct Damaged: Error, Sendable {
    public var what: String
  }

  public let key: UInt64
  let literals: VectorscanLiterals?
  let regexes: VectorscanRegexes?

  private init(key: UInt64, literals: VectorscanLiterals?, regexes: VectorscanRegexes?) {
    self.key = key
    self.literals = literals
    self.regexes = regexes
  }

  /// Whether Vectorscan runs on this machine (and `LOGRX_PREFILTER=builtin` does not set it aside).
  public static var runsHere: Bool { VectorscanDatabase.usable }

  /// The version of the Vectorscan library in use.
  public static var engineVersion: String { VectorscanDatabase.version }

  /// The databases in `bytes`; nil when they cannot be used here (another Vectorscan version,
  /// CPU or mode, no Vectorscan on this CPU, `LOGRX_PREFILTER=builtin`): the matcher then
  /// compiles its own. Throws when they are not databases.
  public static func load(_ bytes: Bytes) throws(Damaged) -> StoredPrefilter? {
    guard bytes.engineVersion == VectorscanDatabase.version, VectorscanDatabase.usable else { return nil }
    guard !bytes.literals.isEmpty || !bytes.regexes.isEmpty else { throw Damaged(what: "the prefilter holds no database") }
    guard bytes.longestNeedle >= 1, bytes.longestNeedle < 1 << 20 else {
      throw Damaged(what: "the prefilter's longest needle (\(bytes.longestNeedle) bytes) is impossible")
    }
    guard bytes.regexes.isEmpty == bytes.covered.isEmpty, bytes.covered.allSatisfy({ $0 >= 0 && $0 < 1 << 30 }) else {
      throw Damaged(what: "the prefilter's covered patterns do not fit its database")
    }
    var literals: VectorscanLiterals?
    var regexes: VectorscanRegexes?
    for (which, data) in [(0, bytes.literals), (1, bytes.regexes)] where !data.isEmpty {
      switch VectorscanDatabase.deserialize(data) {
      case .success(let database):
        if which == 0 {
          literals = VectorscanLiterals(database: database, longest: bytes.longestNeedle)
        } else {
          regexes = VectorscanRegexes(database: database, covered: bytes.covered)
        }
      case .failure(.unfit):
        return nil
      case .failure(.damaged(let what)):
        throw Damaged(what: "its \(which == 0 ? "literal" : "regex") prefilter database cannot be read: \(what)")
      }
    }
    return StoredPrefilter(key: bytes.key, literals: literals, regexes: regexes)
  }

  /// The databases of `matcher`'s patterns, compiled now, as bytes; nil when Vectorscan does
  /// not run here or takes none of them.
  static func bytes(key: UInt64, databases: PatternMatcher.FastDatabases, longestNeedle: Int) -> Bytes? {
    let literals = databases.literals.map { $0.serialized() }
    let regexes = databases.regexes.map { $0.serialized() }
    if literals == .some(nil) || regexes == .some(nil) { return nil }
    return Bytes(
      key: key, engineVersion: VectorscanDatabase.version, literals: (literals ?? nil) ?? [], longestNeedle: max(longestNeedle, 1),
      regexes: (regexes ?? nil) ?? [], covered: databases.regexes?.covered ?? [])
  }
}
