import Foundation
import LogrxMatching
import LogrxVocabulary
import LogrxIngest
import LogrxRules
import LogrxDiagnose
import LogrxRecommend
import LogrxState

/// Hides credentials in what logrx shows: every reporter's findings (evidence lines,
/// messages, explanations, captures) and the state's history go through one redactor before
/// they are written, unless the user asks for the raw lines (`--no-redact`).
///
/// What is hidden (each replaced by `[REDACTED]`, the rest of the line kept):
/// - the password in a URL's user information: `postgres://app:[REDACTED]@db:5432/app`;
/// - `Bearer` and `Basic` credentials: `Authorization: Bearer [REDACTED]`;
/// - the value after a key ending in password, passwd, pwd, secret, token, secret_key,
///   api_key or access_key, with `=` or `:` (`DB_PASSWORD=…`, `PASSWORD: …`, `"token": "…"`),
///   but not MySQL's `(using password: YES)`, which says only whether one was sent;
/// - AWS access key ids (`AKIA…`, `ASIA…`);
/// - the body of a private key block (`-----BEGIN … PRIVATE KEY-----` to its END line, across
///   evidence lines too).
///
/// Fingerprints are computed from the raw captures before redaction, so a finding's identity
/// (and the state's history) does not depend on it.
public struct Redactor: Sendable {
  public var enabled: Bool
  public static let placeholder = "[REDACTED]"

  public init(enabled: Bool = true) { self.enabled = enabled }

  private struct Pattern: @unchecked Sendable {
    let regex: NSRegularExpression
    let template: String
  }

  /// The patterns as `NSRegularExpression` (ICU): the reference, and the fallback for a text on
  /// which PCRE2 stops at its match limit.
  nonisolated(unsafe) private static let patterns: [Pattern] = {
    func pattern(_ source: String, _ template: String) -> Pattern {
      Pattern(regex: try! NSRegularExpression(pattern: source, options: []), template: template)
    }
    return [
      pattern(#"-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----[\s\S]*?(-----END [A-Z0-9 ]*PRIVATE KEY-----|$)"#, "-----BEGIN $1PRIVATE KEY----- [REDACTED] $2"),
      pattern(#"\b([A-Za-z][A-Za-z0-9+.-]*://)([^/\s:@'"]*):([^/\s@'"]+)@"#, "$1$2:[REDACTED]@"),
      pattern(#"(?i)\b(Bearer|Basic)(\s+)[A-Za-z0-9._~+/=-]{6,}"#, "$1$2[REDACTED]"),
      pattern(
        #"(?i)\b([A-Za-z0-9_.-]*(?:password|passwd|pwd|secret|token|secret[_-]?key|api[_-]?key|access[_-]?key))(["']?\s*[:=]\s*["']?)(?!\[REDACTED\])(?!(?:YES|NO)\))([^\s"',;&]+)"#,
        "$1$2[REDACTED]"),
      pattern(#"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"#, "[REDACTED]"),
    ]
  }()

  /// The same patterns on PCRE2 (JIT), in UTF mode with Unicode properties (`\b`, `\s` as ICU
  /// reads them): ~1 M instructions less a text than ICU's matcher, which was most of a scan's
  /// report. The groups each template keeps, by number; `fragments`: what a text must hold
  /// (ASCII letters compared without case) for the pattern to be tried at all.
  private struct FastPattern: @unchecked Sendable {
    let regex: Regex
    /// The replacement: the text of these groups, in order, with `between` after each.
    let pieces: [(group: Int, after: String)]
    let prefix: String
    let fragments: [[UInt8]]
  }

  private static let fastPatterns: [FastPattern] = {
    func pattern(_ source: String, prefix: String = "", _ pieces: [(Int, String)], needs: [String]) -> FastPattern {
      // Groups named g1, g2, … in the order of ICU's numbering.
      FastPattern(
        regex: try! Regex("(*UTF)(*UCP)" + source), pieces: pieces, prefix: prefix, fragments: needs.map { Array($0.utf8) })
    }
    return [
      pattern(
        #"-----BEGIN (?<g1>[A-Z0-9 ]*)PRIVATE KEY-----[\s\S]*?(?<g2>-----END [A-Z0-9 ]*PRIVATE KEY-----|$)"#, prefix: "-----BEGIN ",
        [(1, "PRIVATE KEY----- [REDACTED] "), (2, "")], needs: ["private key"]),
      pattern(#"\b(?<g1>[A-Za-z][A-Za-z0-9+.-]*://)(?<g2>[^/\s:@'"]*):(?<g3>[^/\s@'"]+)@"#, [(1, ""), (2, ":[REDACTED]@")], needs: ["://"]),
      pattern(#"(?i)\b(?<g1>Bearer|Basic)(?<g2>\s+)[A-Za-z0-9._~+/=-]{6,}"#, [(1, ""), (2, "[REDACTED]")], needs: ["bearer", "basic"]),
      pattern(
        #"(?i)\b(?<g1>[A-Za-z0-9_.-]*(?:password|passwd|pwd|secret|token|secret[_-]?key|api[_-]?key|access[_-]?key))(?<g2>["']?\s*[:=]\s*["']?)(?!\[REDACTED\])(?!(?:YES|NO)\))(?<g3>[^\s"',;&]+)"#,
        [(1, ""), (2, "[REDACTED]")], needs: ["pass", "pwd", "secret", "token", "key"]),
      pattern(#"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"#, prefix: "[REDACTED]", [], needs: ["akia", "asia"]),
    ]
  }()

  /// Fragments (lower case) one of which every credential pattern needs: a line without any
  /// is left alone without running the regular expressions.
  private static let fragments: [[UInt8]] = ["://", "bearer", "basic", "akia", "asia", "private key", "pass", "pwd", "secret", "token", "key"].map { Array($0.utf8) }

  /// Whether `text` holds one of ``fragments``, ASCII letters compared without case.
  static func mayHoldCredentials(_ text: String) -> Bool {
    holds(fragments, in: asciiLowercased(text))
  }

  /// The UTF-8 bytes of `text` with ASCII letters in lower case (what `fragments` are compared to).
  private static func asciiLowercased(_ text: String) -> [UInt8] {
    var bytes = Array(text.utf8)
    for index in bytes.indices where bytes[index] >= 0x41 && bytes[index] <= 0x5A { bytes[index] |= 0x20 }
    return bytes
  }

  /// Whether `bytes` (lower case) hold one of `fragments`.
  private static func holds(_ fragments: [[UInt8]], in bytes: [UInt8]) -> Bool {
    bytes.withUnsafeBufferPointer { buffer in
      fragments.contains { fragment in
        guard buffer.count >= fragment.count else { return false }
        var start = 0
        while start + fragment.count <= buffer.count {
          guard let first = buffer[start...(buffer.count - fragment.count)].firstIndex(of: fragment[0]) else { return false }
          if buffer[first..<(first + fragment.count)].elementsEqual(fragment) { return true }
          start = first + 1
        }
        return false
      }
    }
  }

  /// `text` with its credentials hidden.
  public func redact(_ text: String) -> String {
    guard enabled, !text.isEmpty else { return text }
    let lower = Self.asciiLowercased(text)
    guard Self.holds(Self.fragments, in: lower) else { return text }
    let matcher = RegexMatcher()
    var result = text
    // A pattern runs only on a text that holds what it needs. (The replacements add none of
    // the fragments a later pattern needs, so the original text's say is enough.)
    for pattern in Self.fastPatterns where Self.holds(pattern.fragments, in: lower) {
      guard let replaced = Self.replaceAll(pattern, in: result, matcher: matcher) else {
        // PCRE2's limits stopped it: ICU's matcher decides, as it always did.
        return Self.redactWithFoundation(text)
      }
      if let replaced { result = replaced }
    }
    return result
  }

  /// Every match of `pattern` in `text` replaced (non-overlapping, left to right, as
  /// `NSRegularExpression.stringByReplacingMatches` does): `.some(nil)` when there is none, nil
  /// when PCRE2's limits stopped the search.
  private static func replaceAll(_ pattern: FastPattern, in text: String, matcher: RegexMatcher) -> String?? {
    var copy = text
    return copy.withUTF8 { buffer -> String?? in
      let subject = UnsafeRawBufferPointer(buffer)
      var output: [UInt8] = []
      var position = 0
      var replacedAny = false
      while position <= subject.count {
        switch matcher.match(pattern.regex, in: subject, from: position) {
        case .noMatch:
          guard replacedAny else { return .some(nil) }
          output.append(contentsOf: subject[position...])
          return .some(String(decoding: output, as: UTF8.self))
        case .limitExceeded:
          return nil
        case .match(let range, let captures):
          replacedAny = true
          output.append(contentsOf: subject[position..<range.lowerBound])
          output.append(contentsOf: pattern.prefix.utf8)
          for piece in pattern.pieces {
            if let group = captures["g\(piece.group)"] { output.append(contentsOf: subject[group]) }
            output.append(contentsOf: piece.after.utf8)
          }
          // No pattern matches an empty string; step past one all the same.
          position = range.upperBound > range.lowerBound ? range.upperBound : range.upperBound + 1
          if position > subject.count {
            return .some(String(decoding: output, as: UTF8.self))
          }
        }
      }
      return .some(String(decoding: output, as: UTF8.self))
    }
  }

  /// `text` with its credentials hidden by ICU's matcher (`NSRegularExpression`): the reference
  /// the PCRE2 patterns are tested against.
  package static func redactWithFoundation(_ text: String) -> String {
    guard !text.isEmpty, mayHoldCredentials(text) else { return text }
    var result = text
    for pattern in patterns {
      let range = NSRange(result.startIndex..., in: result)
      guard pattern.regex.firstMatch(in: result, options: [], range: range) != nil else { continue }
      result = pattern.regex.stringByReplacingMatches(in: result, options: [], range: range, withTemplate: pattern.template)
    }
    return result
  }

  /// A finding as it may be shown: evidence, message, explanation and captures redacted; the
  /// lines inside a private key block are hidden whole.
  public func redact(_ finding: Finding) -> Finding {
    guard enabled else { return finding }
    var copy = finding
    var insideKey = false
    copy.evidence = finding.evidence.map { line in
      var line = line
      if insideKey {
        if line.text.contains("PRIVATE KEY-----"), line.text.contains("-----END") {
          insideKey = false
        } else {
          line.text = Self.placeholder
        }
        return line
      }
      if line.text.contains("-----BEGIN"), line.text.contains("PRIVATE KEY-----"), !line.text.contains("-----END") {
        insideKey = true
        return line
      }
      line.text = redact(line.text)
      return line
    }
    copy.message = redact(finding.message)
    copy.explanation = redact(finding.explanation)
    copy.captures = finding.captures.mapValues(redact)
    return copy
  }

  public func redact(_ findings: [Finding]) -> [Finding] { enabled ? findings.map(redact) : findings }

  /// A finding's history as it may be shown (its message redacted).
  public func redact(_ history: FindingHistory) -> FindingHistory {
    guard enabled else { return history }
    var copy = history
    copy.message = redact(history.message)
    return copy
  }

  /// A scan's result as it may be shown.
  public func redact(_ result: ScanResult) -> ScanResult {
    guard enabled else { return result }
    var copy = result
    copy.findings = redact(result.findings)
    // The reported findings are most often among those seen: each is redacted once.
    let done = Dictionary(copy.findings.map { ($0.fingerprint, $0) }, uniquingKeysWith: { first, _ in first })
    copy.seen = result.seen.map { done[$0.fingerprint] ?? redact($0) }
    copy.history = result.history.mapValues(redact)
    copy.resolved = result.resolved.map(redact)
    copy.open = result.open.map(redact)
    copy.diagnostics = result.diagnostics
    return copy
  }
}
