import Foundation
import LogrxMatching
import LogrxVocabulary

/// A draft rule file made from an `unclassified` finding (`logrx rules new`): an id, a match
/// pattern made of the decisive line with its variable parts generalised, that line as the
/// first match example and a healthy line of the same input as the first nomatch example.
///
/// The draft loads and passes `logrx rules test` as written; its title, message and
/// explanation are placeholders for the author.
public struct RuleDraft: Sendable {
  public var id: String
  public var regex: String
  public var literal: String?
  public var matchExample: String
  public var nomatchExample: String
  /// False when the input had no healthy line to offer and the nomatch example is a stand-in.
  public var nomatchFromInput = true

  /// - Parameters:
  ///   - finding: an `unclassified` finding (its `line` capture is the decisive text).
  ///   - lines: the lines of its input, for a healthy nomatch example (the nearest line before
  ///     the decisive one that is not a failure and that the pattern does not match).
  ///   - id: the rule id to use; default: `draft-` and the line's first words.
  public init?(finding: Finding, lines: [String], id: String? = nil) {
    guard let decisive = finding.captures["line"], !decisive.isEmpty else { return nil }
    let parts = Self.pattern(for: decisive)
    regex = parts.regex
    literal = parts.literal
    matchExample = decisive
    self.id = id ?? Self.id(for: decisive)
    let compiled = try? Regex(parts.regex)
    func matches(_ text: String) -> Bool {
      guard let compiled else { return false }
      if case .match = RegexMatcher().match(compiled, in: text) { return true }
      return false
    }
    let hitIndex = lines.lastIndex { $0.contains(decisive) } ?? lines.count
    let before = lines[..<min(hitIndex, lines.count)].reversed()
    let after = hitIndex < lines.count ? Array(lines[(hitIndex + 1)...]) : []
    let healthy = (Array(before) + after).first { line in
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      let words = trimmed.split { !$0.isLetter }.filter { $0.count > 1 }
      return words.count >= 3 && !matches(line) && !Self.looksLikeFailure(trimmed)
    }
    nomatchExample = healthy?.trimmingCharacters(in: .whitespaces) ?? "INFO: the service started"
    nomatchFromInput = healthy != nil
  }

  static func looksLikeFailure(_ line: String) -> Bool {
    ["error", "fatal", "critical", "traceback", "exception", "failed", "denied", "refused"].contains {
      line.lowercased().contains($0)
    }
  }

  /// A kebab-case id from the first words of the line's stable text: `draft-commanderror-no-fixture-named`.
  static func id(for line: String) -> String {
    let words = line.split { !$0.isLetter && !$0.isNumber }.filter { word in
      !word.contains(where: \.isNumber) && word.count > 1
    }.prefix(4).map { $0.lowercased() }
    return (["draft"] + words).joined(separator: "-")
  }

  /// The line as a regex: literal text escaped, variable parts (numbers, paths, quoted values,
  /// hex ids) generalised, the first quoted value captured as `value`; and the longest stable
  /// piece as the prefilter literal. Leading variable parts (a timestamp, a pid) are left out:
  /// the match starts at the first stable word.
  static func pattern(for line: String) -> (regex: String, literal: String?) {
    var pieces: [(text: String, stable: Bool)] = []
    var token = ""
    var quote: Character?
    var quoted = ""
    var captured = false
    func flushToken() {
      guard !token.isEmpty else { return }
      if LogTemplate.isVariable(token) {
        let general = token.hasPrefix("/") || token.contains("://") ? "\\S+" : token.allSatisfy(\.isNumber) ? "\\d+" : "\\S+"
        pieces.append((general, false))
      } else {
        pieces.append((escape(token), true))
      }
      token = ""
    }
    for character in line.prefix(160) {
      if let open = quote {
        if character == open {
          let body = captured ? "[^\(open)]*" : "(?<value>[^\(open)]*)"
          captured = true
          pieces.append((escape(String(open)) + body + escape(String(open)), false))
          quote = nil
          quoted = ""
        } else {
          quoted.append(character)
        }
        continue
      }
      if (character == "'" || character == "\""), token.isEmpty {
        quote = character
        continue
      }
      if character == " " || character == "\t" {
        flushToken()
        pieces.append(("\\s+", false))
      } else if ",:;()[]=".contains(character) {
        flushToken()
        pieces.append((escape(String(character)), true))
      } else {
        token.append(character)
      }
    }
    if let open = quote { pieces.append((escape(String(open)) + escape(quoted), true)) }
    flushToken()
    // Start at the first stable word; collapse runs of whitespace patterns.
    while let first = pieces.first, !first.stable || first.text == "\\s+" || first.text.count < 2 {
      pieces.removeFirst()
    }
    var regex = ""
    for piece in pieces where !(piece.text == "\\s+" && regex.hasSuffix("\\s+")) { regex += piece.text }
    while regex.hasSuffix("\\s+") { regex.removeLast(3) }
    // The literal: the longest run of stable pieces joined by single spaces, unescaped.
    var best = ""
    var run = ""
    var current = ""
    for piece in pieces {
      if piece.stable {
        current += unescape(piece.text)
      } else if piece.text == "\\s+", !current.isEmpty {
        current += " "
      } else {
        run = current.trimmingCharacters(in: .whitespaces)
        if run.count > best.count { best = run }
        current = ""
      }
    }
    run = current.trimmingCharacters(in: .whitespaces)
    if run.count > best.count { best = run }
    return (regex.isEmpty ? escape(line) : regex, best.utf8.count >= 4 ? best : nil)
  }

  static func escape(_ text: String) -> String {
    var out = ""
    for character in text {
      if "\\^$.|?*+()[]{}/".contains(character) { out.append("\\") }
      out.append(character)
    }
    return out
  }

  static func unescape(_ text: String) -> String {
    var out = ""
    var escaped = false
    for character in text {
      if character == "\\", !escaped {
        escaped = true
        continue
      }
      escaped = false
      out.append(character)
    }
    return out
  }

  /// The rule file, YAML.
  public var yaml: String {
    func quoted(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }
    let value = regex.contains("(?<value>") ? " (${value})" : ""
    var out = """
      # Draft made by `logrx rules new` from an unclassified finding: write the title, the message
      # and the explanation from what you know of this failure, check the pattern against more
      # logs, add examples, then run `logrx rules test --rules DIR` and move the file under Rules/<area>/.
      id: \(id)
      title: 'TODO: the problem in one line'
      severity: warning
      stage: runtime
      tags: [draft]
      match:
        - regex: \(quoted(regex))

      """
    if let literal { out += "    literal: \(quoted(literal))\n" }
    out += """
      fingerprint: []
      message: 'TODO: what failed\(value), then what to change.'
      explain: |
        TODO: what happened, why, and what to change.
      examples:
        match:
          - \(quoted(matchExample))
        nomatch:\(nomatchFromInput ? "" : "  # TODO: a stand-in; put a healthy line of a real log here")
          - \(quoted(nomatchExample))

      """
    return out
  }
}
