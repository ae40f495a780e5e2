import Foundation
import LogrxMatching

/// `$<name>` in a `replace` action's replacement: the named group of each match.
package enum ReplacementGroups {
  /// The group names a replacement uses.
  package static func names(in replacement: String) -> [String] {
    var names: [String] = []
    var rest = Substring(replacement)
    while let open = rest.range(of: "$<") {
      guard let close = rest[open.upperBound...].firstIndex(of: ">") else { break }
      names.append(String(rest[open.upperBound..<close]))
      rest = rest[rest.index(after: close)...]
    }
    return names
  }

  /// The replacement with each `$<name>` replaced by `groups[name]` (empty when the group did
  /// not take part).
  package static func substitute(_ replacement: String, _ groups: [String: String]) -> String {
    var out = ""
    var rest = Substring(replacement)
    while let open = rest.range(of: "$<"), let close = rest[open.upperBound...].firstIndex(of: ">") {
      out += rest[..<open.lowerBound]
      out += groups[String(rest[open.upperBound..<close])] ?? ""
      rest = rest[rest.index(after: close)...]
    }
    return out + rest
  }
}
