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
  /// What each pattern of ``patterns`` is for.
  let roles: [SignatureRole]

  /// - Parameter markers: strings (ASCII case folded) whose lines ``hits(in:markedLines:onLimit:)``
  ///   reports in `markedLines`.
  public init(rules: [Rule], markers: [String] = []) {
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
    self.patterns = PatternMatcher(patterns: patterns, markers: markers)
    self.roles = roles
  }

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
    let roles = self.roles
    let hits = batch.withUnsafeLines { bytes, starts, ends in
      patterns.hits(in: bytes, starts: starts, ends: ends, markedLines: &markedLines) { line, pattern in
        onLimit(line, roles[pattern].rule)
      }
    }
    return hits.map { RuleHit(line: $0.line, role: roles[$0.pattern], captures: $0.captures) }
  }
}
