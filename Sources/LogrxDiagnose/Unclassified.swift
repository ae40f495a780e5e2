import Foundation
import LogrxMatching
import LogrxRules
import LogrxVocabulary

/// A log line's template: the line with its variable parts masked, as Drain-style log
/// parsers group lines (`<*>` for numbers, hex ids, paths, quoted values, addresses, times).
///
/// `Worker (pid:6761) exited with code 3.` → `Worker (pid:<*>) exited with code <*>.`
public enum LogTemplate {
  /// The template of `line` (at most its first 300 characters). A line that is one quoted
  /// string (a log line pasted as a JSON or YAML string) is templated without its quotes, so
  /// that its words are not masked as one quoted value.
  public static func of(_ line: String) -> String {
    var out = ""
    var token = ""
    func flush() {
      guard !token.isEmpty else { return }
      out += isVariable(token) ? "<*>" : token
      token = ""
    }
    var quote: Character?
    for character in unquoted(line).prefix(300) {
      if let open = quote {
        if character == open {
          out += "\(open)<*>\(open)"
          quote = nil
        }
        continue
      }
      if character == "'" || character == "\"", token.isEmpty {
        quote = character
        continue
      }
      if character == " " || character == "\t" || character == "," || character == "(" || character == ")" || character == "[" || character == "]" || character == "=" {
        flush()
        out.append(character)
      } else {
        token.append(character)
      }
    }
    if let open = quote { out += "\(open)<*>" }
    flush()
    // Runs of masks (a timestamp's date and time) are one variable.
    while out.contains("<*> <*>") { out = out.replacingOccurrences(of: "<*> <*>", with: "<*>") }
    return out
  }

  /// `line` without the quotes around it when the whole line is one quoted string.
  static func unquoted(_ line: String) -> Substring {
    let trimmed = line.trimmingCharacters(in: .whitespaces)
    guard trimmed.count > 2, let first = trimmed.first, first == "\"" || first == "'", trimmed.last == first,
      !trimmed.dropFirst().dropLast().contains(first)
    else { return Substring(line) }
    return trimmed.dropFirst().dropLast()
  }

  /// Whether a token is a variable part: it holds a digit (numbers, times, ids, versions,
  /// addresses), is a path or URL, or is a long hex or base-32 id.
  static func isVariable(_ token: String) -> Bool {
    if token.contains(where: \.isNumber) { return true }
    if token.hasPrefix("/") || token.contains("://") || token.hasPrefix("~/") || token.hasPrefix("./") { return true }
    if token.count >= 8, token.allSatisfy({ $0.isHexDigit }) { return true }
    return false
  }

  /// The words of a template that are not masks, for similarity.
  static func words(_ template: String) -> Set<Substring> {
    Set(template.split { !$0.isLetter }.filter { $0.count > 1 })
  }

  /// Jaccard similarity of the words of two templates (0 to 1).
  public static func similarity(_ lhs: String, _ rhs: String) -> Double {
    let left = words(lhs)
    let right = words(rhs)
    guard !left.isEmpty || !right.isEmpty else { return 1 }
    return Double(left.intersection(right).count) / Double(left.union(right).count)
  }
}

/// The "never silent" part of the analysis: lines that show a failure (a traceback's final
/// exception, FATAL/ERROR/CRITICAL lines, a non-zero exit, a failed build or pod status), kept
/// per input, and the `unclassified` finding made of them when no rule said anything at
/// warning or error level about that input.
///
/// The signals are the table `Rules/data/failure-signals.yaml` (`name: {regex, weight}`); the
/// healthy baseline is `Rules/data/healthy-templates.yaml` (templates of lines that look like
/// failures but occur in healthy logs: a database that is still starting, pip's retries). A
/// candidate's score is its signal's weight times its rarity: 1 minus its highest similarity
/// to a baseline template; a candidate at least ``baselineSimilarity`` similar to one is
/// healthy and dropped, as are candidates seen more than ``maxRepeats`` times in the input
/// (a log that prints the line every second is showing its noise, not its failure).
public struct FailureSignals: Sendable {
  public struct Signal: Sendable {
    public var name: String
    public var regex: Regex
    public var weight: Double
  }

  /// A line that may show an unknown failure.
  public struct Candidate: Sendable {
    public var line: EvidenceLine
    public var signal: String
    public var weight: Double
    public var template: String
    public var origin: Origin
  }

  public static let baselineSimilarity = 0.7
  public static let maxRepeats = 50

  public var signals: [Signal]
  public var baseline: [String]
  /// Weights by signal name, also of signals without a regex (`traceback`: a traceback's
  /// final exception line, found by the traceback assembler).
  var weights: [String: Double] = [:]

  public init(tables: [String: [String: [String: String]]]) {
    signals = (tables["failure-signals"] ?? [:]).sorted { $0.key < $1.key }.compactMap { name, fields in
      guard let pattern = fields["regex"], let regex = try? Regex(pattern) else { return nil }
      return Signal(name: name, regex: regex, weight: fields["weight"].flatMap(Double.init) ?? 1)
    }
    for (name, fields) in tables["failure-signals"] ?? [:] { weights[name] = fields["weight"].flatMap(Double.init) ?? 1 }
    baseline = (tables["healthy-templates"] ?? [:]).compactMap { key, fields in fields["template"] ?? key }
  }

  /// The signal names as the matcher reports them (`signal:<name>`), with their regexes.
  var patterns: [(name: String, regex: Regex)] { signals.map { ("signal:" + $0.name, $0.regex) } }

  func weight(of name: String) -> Double { weights[name] ?? 1 }

  /// How unlike the healthy baseline a template is: 1 − its highest similarity to one of it.
  public func rarity(of template: String) -> Double {
    1 - (baseline.map { LogTemplate.similarity(template, $0) }.max() ?? 0)
  }

  /// The decisive text of a line: for a JSON-escaped traceback, its last exception line.
  static func decisiveText(_ text: String) -> String {
    guard text.contains("Traceback (most recent call last):\\n") else { return text }
    let parts = text.components(separatedBy: "\\n").map { $0.trimmingCharacters(in: .whitespaces) }
    let exception = parts.last { part in
      let head = part.prefix { $0 != ":" && $0 != " " }
      return !part.hasPrefix("File ") && head.contains(where: \.isLetter)
        && (head.hasSuffix("Error") || head.hasSuffix("Exception") || head.hasSuffix("DoesNotExist") || head.hasSuffix("Exit"))
    }
    guard let exception else { return text }
    return String(exception.prefix { $0 != "\"" }).replacingOccurrences(of: "\\\"", with: "\"")
  }

  /// The candidates worth showing, best first: scored, baseline and noise removed.
  public func ranked(_ candidates: [Candidate]) -> [Candidate] {
    // One candidate per template: its first line, with the highest weight any signal gave it
    // (a traceback's exception line is also an "exception line").
    var repeats: [String: Int] = [:]
    var firsts: [String: Candidate] = [:]
    var order: [String] = []
    for candidate in candidates {
      repeats[candidate.template, default: 0] += 1
      if var first = firsts[candidate.template] {
        if candidate.weight > first.weight {
          first.weight = candidate.weight
          first.signal = candidate.signal
        }
        firsts[candidate.template] = first
      } else {
        firsts[candidate.template] = candidate
        order.append(candidate.template)
      }
    }
    var scored: [(Candidate, Double)] = []
    for template in order {
      guard let candidate = firsts[template], repeats[template, default: 0] <= Self.maxRepeats else { continue }
      let rarity = rarity(of: candidate.template)
      guard rarity > 1 - Self.baselineSimilarity else { continue }
      scored.append((candidate, candidate.weight * rarity))
    }
    return scored.enumerated().sorted { lhs, rhs in
      lhs.element.1 != rhs.element.1 ? lhs.element.1 > rhs.element.1 : lhs.offset < rhs.offset
    }.map(\.element.0)
  }

  /// The rule of `unclassified` findings (not in any catalog: the analysis makes them).
  public static let rule = Rule(
    id: "unclassified", title: "A failure that no rule recognises", severity: .warning, stage: .runtime,
    tags: ["unclassified"], signatures: [], unless: [], context: .line, explains: [], fingerprint: ["template"],
    message: Template("A failure that no rule recognises: ${line}"),
    explanation: Template(
      """
      The input shows a failure that none of logrx's rules knows (a line of the kind \
      `${signal}`: a traceback's final exception, a FATAL, ERROR or CRITICAL line, a non-zero \
      exit or a failed status), so logrx cannot name its cause or a fix. The lines above are the ones most unlike healthy \
      logs, the most telling first; read the first of them, and what the log printed just \
      before it.

      If the failure comes back, turn it into a rule: `logrx rules new` writes a draft rule file \
      from this finding (a pattern with the variable parts generalised, the line as its first \
      example), ready for `logrx rules test`.
      """),
    fixes: [], matchExamples: [], nomatchExamples: [], file: "builtin:unclassified")
}

extension Character {
  fileprivate var isHexDigit: Bool { isNumber || ("a"..."f").contains(self) || ("A"..."F").contains(self) }
}
