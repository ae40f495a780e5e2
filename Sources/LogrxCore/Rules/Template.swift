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
    var rest = Substring(source)
    while let open = rest.range(of: "${") {
      guard let close = rest[open.upperBound...].firstIndex(of: "}") else { break }
      if open.lowerBound > rest.startIndex { parts.append(.text(String(rest[..<open.lowerBound]))) }
      parts.append(.name(String(rest[open.upperBound..<close])))
      rest = rest[rest.index(after: close)...]
    }
    if !rest.isEmpty { parts.append(.text(String(rest))) }
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

  public var description: String { source }
}
