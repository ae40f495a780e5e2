import LogrxIngest
import LogrxMatching
import LogrxVocabulary

/// What a signature is for: recognising a rule, or cancelling one (`unless`).
public enum SignatureRole: Sendable, Equatable {
  case match(rule: Int, signature: Int)
  case unless(rule: Int)

  /// The index of the rule the signature belongs to.
  public var rule: Int {
    switch self {
    case .match(let rule, _), .unless(let rule): rule
    }
  }
}

/// One rule signature's hit on one line of a batch.
public struct RuleHit: Sendable {
  /// Index of the line in the batch.
  public var line: Int
  public var role: SignatureRole
  /// Named captures, as text.
  public var captures: [String: String]
}

/// Runs every rule's signatures over batches of decoded lines: the rules' signatures become
/// the patterns of one ``PatternMatcher`` and its hits are told back as rule hits.
public final class RuleMatcher {
  public let rules: [Rule]
  let patterns: PatternMatcher
  /// What each pattern of ``patterns`` is for (the context patterns come after these).
  let roles: [SignatureRole]
  /// The names of the input contexts (`Rules/data/contexts.yaml`) recognised, in pattern order.
  public let contextNames: [String]

  /// - Parameter markers: strings (ASCII case folded) whose lines ``hits(in:markedLines:onLimit:)``
  ///   reports in `markedLines`.
  /// - Parameter contexts: named regexes whose lines say what kind of log the input is (an
  ///   OpenShift log, an S2I build); their hits are reported apart, in ``contextHits``.
  /// - Parameter stored: Vectorscan databases compiled before (a pack's), see ``PatternMatcher``.
  public init(rules: [Rule], markers: [String] = [], contexts: [(name: String, regex: Regex)] = [], stored: [StoredPrefilter] = []) {
    self.rules = rules
    var patterns: [Pattern] = []
    var roles: [SignatureRole] = []
    for (ruleIndex, rule) in rules.enumerated() {
      for (signatureIndex, signature) in rule.signatures.enumerated() {
        patterns.append(Pattern(regex: signature.regex, needles: signature.needles))
        roles.append(.match(rule: ruleIndex, signature: signatureIndex))
      }
      for signature in rule.unless {
        patterns.append(Pattern(regex: signature.regex, needles: signature.needles))
        roles.append(.unless(rule: ruleIndex))
      }
    }
    for context in contexts {
      patterns.append(Pattern(regex: context.regex, needles: LiteralExtractor.needles(for: context.regex.pattern)))
    }
    self.contextNames = contexts.map(\.name)
    self.patterns = PatternMatcher(patterns: patterns, markers: markers, stored: stored)
    self.roles = roles
  }

  private init(sharing other: RuleMatcher, bytesSearched: Int) {
    rules = other.rules
    patterns = other.patterns.forAnotherThread(bytesSearched: bytesSearched)
    roles = other.roles
    contextNames = other.contextNames
  }

  /// A matcher of the same rules for another thread (see ``PatternMatcher/forAnotherThread(bytesSearched:)``).
  public func forAnotherThread(bytesSearched: Int = 0) -> RuleMatcher {
    RuleMatcher(sharing: self, bytesSearched: bytesSearched)
  }

  /// Compiles the `contexts` table of a catalog (`name: {regex: ...}`); entries whose regex
  /// does not compile are left out (`rules check` reports them).
  public static func contexts(in tables: [String: [String: [String: String]]]) -> [(name: String, regex: Regex)] {
    (tables["contexts"] ?? [:]).sorted { $0.key < $1.key }.compactMap { name, fields in
      guard let pattern = fields["regex"], let regex = try? Regex(pattern) else { return nil }
      return (name, regex)
    }
  }

  /// The Vectorscan databases of these patterns, compiled now, to store in a rule pack.
  public func storedPrefilter() -> StoredPrefilter.Bytes? { patterns.storedPrefilter() }

  /// Whether the matcher started on stored databases.
  public var startedOnStoredPrefilter: Bool { patterns.startedOnStoredPrefilter }

  /// Number of signatures (match and unless) in force.
  public var signatureCount: Int { roles.count }

  /// Searches `batch` and returns its hits in line order.
  ///
  /// - Parameter onLimit: called with the line index and rule index when a regex ran into
  ///   PCRE2's limits on that line.
  public func hits(in batch: LineBatch, onLimit: (Int, Int) -> Void = { _, _ in }) -> [RuleHit] {
    var marked: [Int] = []
    return hits(in: batch, markedLines: &marked, onLimit: onLimit)
  }

  /// Searches `batch`; also collects, in order and without repeats, the indexes of the lines
  /// where a marker occurs.
  public func hits(in batch: LineBatch, markedLines: inout [Int], onLimit: (Int, Int) -> Void = { _, _ in }) -> [RuleHit] {
    var contexts: [(line: Int, context: String)] = []
    return hits(in: batch, markedLines: &markedLines, contextHits: &contexts, onLimit: onLimit)
  }

  /// Searches `batch`; also collects the lines where a context pattern matched, with its name.
  public func hits(
    in batch: LineBatch, markedLines: inout [Int], contextHits: inout [(line: Int, context: String)],
    onLimit: (Int, Int) -> Void = { _, _ in }
  ) -> [RuleHit] {
    let roles = self.roles
    let hits = batch.withUnsafeLines { bytes, starts, ends in
      patterns.hits(in: bytes, starts: starts, ends: ends, markedLines: &markedLines) { line, pattern in
        if pattern < roles.count { onLimit(line, roles[pattern].rule) }
      }
    }
    var result: [RuleHit] = []
    result.reserveCapacity(hits.count)
    for hit in hits {
      if hit.pattern < roles.count {
        result.append(RuleHit(line: hit.line, role: roles[hit.pattern], captures: hit.captures))
      } else {
        contextHits.append((hit.line, contextNames[hit.pattern - roles.count]))
      }
    }
    return result
  }
}
