import LogrxMatching

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

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
    var copy = source
    parts = copy.withUTF8 { Template.parts(of: $0, source: source) }
  }

  /// Splits the UTF-8 of `source` into text and `${name}` parts. Bytes, `memchr` for the next
  /// `$`, and the source itself for a template without placeholders: every template of every
  /// rule is parsed at start-up (a 2000-rule pack holds 3 MB of explanations).
  static func parts(of bytes: UnsafeBufferPointer<UInt8>, source: String) -> [Part] {
    guard let base = bytes.baseAddress, !bytes.isEmpty else { return [] }
    var parts: [Part] = []
    var textStart = 0
    var index = 0
    while index + 1 < bytes.count {
      guard let dollar = memchr(base + index, Int32(UInt8(ascii: "$")), bytes.count - 1 - index) else { break }
      index = UnsafeRawPointer(dollar) - UnsafeRawPointer(base)
      guard bytes[index + 1] == UInt8(ascii: "{"),
        let brace = memchr(base + index + 2, Int32(UInt8(ascii: "}")), bytes.count - index - 2)
      else {
        index += 1
        continue
      }
      let close = UnsafeRawPointer(brace) - UnsafeRawPointer(base)
      if index > textStart { parts.append(.text(String(decoding: UnsafeBufferPointer(rebasing: bytes[textStart..<index]), as: UTF8.self))) }
      parts.append(.name(String(decoding: UnsafeBufferPointer(rebasing: bytes[(index + 2)..<close]), as: UTF8.self)))
      index = close + 1
      textStart = index
    }
    if textStart == 0 { return [.text(source)] }
    if textStart < bytes.count { parts.append(.text(String(decoding: UnsafeBufferPointer(rebasing: bytes[textStart...]), as: UTF8.self))) }
    return parts
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
