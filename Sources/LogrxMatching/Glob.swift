/// A path pattern: `*` matches within one path segment, `**` any number of segments, `?` one
/// character; everything else is literal. `**/*.py` matches `a.py` and `x/y/a.py`.
public struct Glob: Sendable, CustomStringConvertible {
  public let pattern: String
  let regex: Regex

  public init(_ pattern: String) throws(RegexError) {
    self.pattern = pattern
    regex = try Regex(Glob.regexSource(pattern))
  }

  /// A glob from the built-in rules: its regex is compiled on first use.
  package init(checked pattern: String) {
    self.pattern = pattern
    regex = Regex(checked: Glob.regexSource(pattern), groups: [])
  }

  static func regexSource(_ pattern: String) -> String {
    var out = "^"
    let characters = Array(pattern)
    var index = 0
    while index < characters.count {
      let character = characters[index]
      if character == "*" {
        if index + 1 < characters.count, characters[index + 1] == "*" {
          // `**/` matches zero or more folders; a trailing `**` anything.
          if index + 2 < characters.count, characters[index + 2] == "/" {
            out += "(?:[^/]*/)*"
            index += 3
          } else {
            out += ".*"
            index += 2
          }
          continue
        }
        out += "[^/]*"
      } else if character == "?" {
        out += "[^/]"
      } else if "\\.+()[]{}^$|".contains(character) {
        out += "\\" + String(character)
      } else {
        out += String(character)
      }
      index += 1
    }
    return out + "$"
  }

  public func matches(_ path: String) -> Bool {
    if case .match = RegexMatcher().match(regex, in: path) { return true }
    return false
  }

  public var description: String { pattern }
}

/// Escapes PCRE2 metacharacters so that `text` matches itself.
public func regexEscaped(_ text: String) -> String {
  var out = ""
  for character in text {
    if "\\.+*?()[]{}^$|/-#".contains(character) { out += "\\" }
    out.append(character)
  }
  return out
}
