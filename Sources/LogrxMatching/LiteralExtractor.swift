/// Derives prefilter needles from a PCRE2 pattern: strings that every match must contain.
///
/// The analysis is deliberately conservative. It splits the pattern at top-level `|`; for each
/// alternative it walks the sequence of atoms and keeps the longest run of mandatory literal
/// bytes (a run ends at a class, a wildcard, an escape class such as `\d`, a group, or a
/// quantifier that allows zero repetitions). A group without alternation is analysed
/// recursively and its own best run is a candidate too. If any alternative yields nothing of
/// at least ``minimumLength`` bytes, the pattern has no needles and must run on every line.
///
/// Patterns that use extended mode (`(?x)`) or other constructs this walker does not model
/// give up and return `nil`: a missed optimisation, never a missed match.
public enum LiteralExtractor {
  /// Shortest needle worth prefiltering on; shorter ones hit almost every line.
  public static let minimumLength = 3

  /// One needle per top-level alternative, or `nil` when some alternative has none.
  public static func needles(for pattern: String) -> [String]? {
    let bytes = Array(pattern.utf8)
    // Extended mode changes what a space means.
    if pattern.contains("(?x") { return nil }
    var parser = Walker(bytes: bytes)
    guard let alternatives = parser.parseAlternation(), parser.index == bytes.count else { return nil }
    var result: [String] = []
    for best in alternatives {
      guard best.count >= minimumLength else { return nil }
      result.append(String(decoding: best, as: UTF8.self))
    }
    return result
  }

  private struct Walker {
    let bytes: [UInt8]
    var index = 0

    /// Parses alternatives until `)` or the end; returns the best run of each alternative.
    mutating func parseAlternation() -> [[UInt8]]? {
      var alternatives: [[UInt8]] = []
      while true {
        guard let best = parseSequence() else { return nil }
        alternatives.append(best)
        if index < bytes.count, bytes[index] == UInt8(ascii: "|") {
          index += 1
          continue
        }
        return alternatives
      }
    }

    /// Parses one alternative; returns its longest mandatory literal run.
    mutating func parseSequence() -> [UInt8]? {
      var best: [UInt8] = []
      var run: [UInt8] = []
      func finish() {
        if run.count > best.count { best = run }
        run = []
      }
      while index < bytes.count {
        let byte = bytes[index]
        switch byte {
        case UInt8(ascii: "|"), UInt8(ascii: ")"):
          finish()
          return best
        case UInt8(ascii: "("):
          finish()
          guard let inner = parseGroup() else { return nil }
          let optional = skipQuantifier()
          if !optional, let inner, inner.count > best.count { best = inner }
        case UInt8(ascii: "["):
          finish()
          guard skipClass() else { return nil }
          _ = skipQuantifier()
        case UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "$"):
          finish()
          index += 1
          _ = skipQuantifier()
        case UInt8(ascii: "\\"):
          guard index + 1 < bytes.count else { return nil }
          let next = bytes[index + 1]
          if next == UInt8(ascii: "Q") {
            index += 2
            while index < bytes.count {
              if bytes[index] == UInt8(ascii: "\\"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "E") {
                index += 2
                break
              }
              run.append(bytes[index])
              index += 1
            }
            continue
          }
          index += 2
          if isEscapedLiteral(next) {
            literal(next, run: &run, best: &best)
          } else {
            // \d, \s, \b, \x.., \p{..}, back-references: not a literal byte.
            finish()
            skipEscapeArgument(after: next)
            _ = skipQuantifier()
          }
        case UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "?"):
          // A quantifier with nothing before it: leave it to PCRE2 to complain.
          return nil
        default:
          index += 1
          literal(byte, run: &run, best: &best)
        }
      }
      finish()
      return best
    }

    /// Appends a literal byte to the run, then applies a following quantifier to it: an
    /// optional byte ends the run before it, a repeated byte ends the run after it.
    mutating func literal(_ byte: UInt8, run: inout [UInt8], best: inout [UInt8]) {
      let start = index
      let optional = skipQuantifier()
      if index == start {
        run.append(byte)
        return
      }
      if !optional { run.append(byte) }
      if run.count > best.count { best = run }
      run = []
    }

    /// Skips `{…}`, `?`, `*`, `+` and their lazy/possessive suffix. Returns true when the
    /// quantifier allows zero repetitions.
    mutating func skipQuantifier() -> Bool {
      guard index < bytes.count else { return false }
      var optional = false
      switch bytes[index] {
      case UInt8(ascii: "?"), UInt8(ascii: "*"):
        optional = true
        index += 1
      case UInt8(ascii: "+"):
        index += 1
      case UInt8(ascii: "{"):
        var cursor = index + 1
        var digits: [UInt8] = []
        while cursor < bytes.count, bytes[cursor] != UInt8(ascii: "}") {
          digits.append(bytes[cursor])
          cursor += 1
        }
        let body = String(decoding: digits, as: UTF8.self)
        let isQuantifier =
          cursor < bytes.count && !body.isEmpty
          && body.allSatisfy { $0.isNumber || $0 == "," }
        guard isQuantifier else { return false }
        let minimum = Int(body.split(separator: ",", omittingEmptySubsequences: false).first ?? "") ?? 0
        optional = minimum == 0
        index = cursor + 1
      default:
        return false
      }
      if index < bytes.count, bytes[index] == UInt8(ascii: "?") || bytes[index] == UInt8(ascii: "+") {
        index += 1
      }
      return optional
    }

    /// Parses a group starting at `(`. Returns `.some(nil)` for groups that give no literal
    /// (lookarounds, option settings, alternations), `nil` when the pattern is not understood.
    mutating func parseGroup() -> [UInt8]?? {
      index += 1
      var contributes = true
      if index < bytes.count, bytes[index] == UInt8(ascii: "?") {
        index += 1
        guard index < bytes.count else { return nil }
        switch bytes[index] {
        case UInt8(ascii: ":"), UInt8(ascii: ">"):
          index += 1
        case UInt8(ascii: "<"):
          if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "=") || bytes[index + 1] == UInt8(ascii: "!") {
            contributes = false
            index += 2
          } else {
            while index < bytes.count, bytes[index] != UInt8(ascii: ">") { index += 1 }
            index += 1
          }
        case UInt8(ascii: "P"):
          // (?P<name>…)
          while index < bytes.count, bytes[index] != UInt8(ascii: ">") { index += 1 }
          index += 1
        case UInt8(ascii: "'"):
          index += 1
          while index < bytes.count, bytes[index] != UInt8(ascii: "'") { index += 1 }
          index += 1
        case UInt8(ascii: "="), UInt8(ascii: "!"):
          contributes = false
          index += 1
        default:
          // Option settings such as (?i) or (?i:…); treat as opaque.
          contributes = false
          while index < bytes.count, bytes[index] != UInt8(ascii: ")"), bytes[index] != UInt8(ascii: ":") {
            index += 1
          }
          if index < bytes.count, bytes[index] == UInt8(ascii: ":") { index += 1 }
        }
      }
      guard let alternatives = parseAlternation() else { return nil }
      guard index < bytes.count, bytes[index] == UInt8(ascii: ")") else { return nil }
      index += 1
      guard contributes, alternatives.count == 1 else { return .some(nil) }
      return .some(alternatives[0])
    }

    /// Skips a character class `[…]`.
    mutating func skipClass() -> Bool {
      index += 1
      if index < bytes.count, bytes[index] == UInt8(ascii: "^") { index += 1 }
      if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1 }
      while index < bytes.count {
        let byte = bytes[index]
        if byte == UInt8(ascii: "\\") {
          index += 2
          continue
        }
        if byte == UInt8(ascii: "["), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: ":") {
          // POSIX class [:alpha:]
          if let close = bytes[index...].firstIndex(of: UInt8(ascii: "]")) {
            index = close + 1
            continue
          }
        }
        index += 1
        if byte == UInt8(ascii: "]") { return true }
      }
      return false
    }

    mutating func skipEscapeArgument(after escape: UInt8) {
      guard index < bytes.count else { return }
      switch escape {
      case UInt8(ascii: "x"), UInt8(ascii: "p"), UInt8(ascii: "P"), UInt8(ascii: "g"), UInt8(ascii: "k"),
        UInt8(ascii: "o"), UInt8(ascii: "N"):
        if bytes[index] == UInt8(ascii: "{") || bytes[index] == UInt8(ascii: "<") {
          let close = bytes[index] == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: ">")
          while index < bytes.count, bytes[index] != close { index += 1 }
          index += 1
        } else if escape == UInt8(ascii: "x") {
          var taken = 0
          while taken < 2, index < bytes.count, bytes[index].isHexDigit {
            index += 1
            taken += 1
          }
        }
      default:
        break
      }
    }

    func isEscapedLiteral(_ byte: UInt8) -> Bool {
      !(byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")
        || byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")
        || byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }
  }
}

extension UInt8 {
  fileprivate var isHexDigit: Bool {
    (self >= 0x30 && self <= 0x39) || (self >= 0x41 && self <= 0x46) || (self >= 0x61 && self <= 0x66)
  }
}
