import LogrxMatching

/// Text with `${name}` placeholders, filled from a finding's captures and context.
///
/// `$$` is not special; a `$` not followed by `{` is kept as it is, so shell snippets such as
/// `$OPENSHIFT_REPO_DIR` and `"$ARGS"` pass through untouched.
public struct Template: Sendable, Hashable, CustomStringConvertible {
  enum Part: Sendable, Hashable {
    case text(String)
    case name(String)
  }

  let parts: [Part]
  /// The template as written.
  public let source: String

  public init(_ source: String) {
    self.source = source
    var parts: [Part] = []
    // Bytes, not Foundation's string search: every template of every rule is parsed at start-up.
    let bytes = Array(source.utf8)
    var textStart = 0
    var index = 0
    while index + 1 < bytes.count {
      guard bytes[index] == UInt8(ascii: "$"), bytes[index + 1] == UInt8(ascii: "{"),
        let close = bytes[(index + 2)...].firstIndex(of: UInt8(ascii: "}"))
      else {
        index += 1
        continue
      }
      if index > textStart { parts.append(.text(String(decoding: bytes[textStart..<index], as: UTF8.self))) }
      parts.append(.name(String(decoding: bytes[(index + 2)..<close], as: UTF8.self)))
      index = close + 1
      textStart = index
    }
    if textStart < bytes.count { parts.append(.text(String(decoding: bytes[textStart...], as: UTF8.self))) }
    self.parts = parts
  }

  /// The placeholder names used, in order of first use.
  public var names: [String] {
    var seen: [String] = []
    for case .name(let name) in parts where !seen.contains(name) { seen.append(name) }
    return seen
  }

  /// Fills the placeholders; a name without a value renders as `<name>`.
  public func render(_ value: (String) -> String?) -> String {
    var out = ""
    for part in parts {
      switch part {
      case .text(let text): out += text
      case .name(let name): out += value(name) ?? "<\(name)>"
      }
    }
    return out
  }

  public func render(_ values: [String: String]) -> String { render { values[$0] } }

  /// Fills the placeholders; a name without a value is filled by `missing`, which gets the
  /// name and the text rendered so far (so `dc/${source.dc}` can say which kind of name is
  /// wanted). For text people read: nothing of the `${name}` syntax is left.
  public func render(_ value: (String) -> String?, missing: (_ name: String, _ before: String) -> String) -> String {
    var out = ""
    for part in parts {
      switch part {
      case .text(let text): out += text
      case .name(let name): out += value(name) ?? missing(name, out)
      }
    }
    return out
  }

  public var description: String { source }
}

extension Template: Codable {
  /// A template is written as its source text.
  public init(from decoder: any Decoder) throws { self.init(try decoder.singleValueContainer().decode(String.self)) }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(source)
  }
}
