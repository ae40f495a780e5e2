import LogrxMatching
import LogrxVocabulary
import LogrxIngest
import LogrxRules
import LogrxDiagnose

/// The app's layout as the logs reveal it, for fixing without `--source`: the files under
/// `/opt/app-root/src/` that tracebacks and error lines name.
public struct LogLayout: Sendable {
  /// Paths relative to the source root, in the order first seen.
  public let files: [String]

  public static let sourceRoot = "/opt/app-root/src/"

  /// Collects the paths from the findings' evidence, after `paths` the logs named otherwise.
  public init(findings: [Finding], paths: [String] = []) {
    var files: [String] = paths
    for finding in findings {
      for line in finding.evidence {
        var rest = Substring(line.text)
        while let range = rest.range(of: Self.sourceRoot) {
          let path = rest[range.upperBound...].prefix { !"\"' :,)\n".contains($0) }
          if !path.isEmpty, !files.contains(String(path)) { files.append(String(path)) }
          rest = rest[range.upperBound...]
        }
      }
    }
    self.files = files
  }

  /// A `${tree.…}` value the logs show, if any.
  public func value(for name: String) -> String? {
    switch name {
    case "tree.settings":
      files.first { $0.hasSuffix("/settings.py") || $0 == "settings.py" || $0.contains("/settings/") && $0.hasSuffix(".py") }
    case "tree.manage_py":
      files.first { $0 == "manage.py" || $0.hasSuffix("/manage.py") }
    case "tree.urls":
      files.first { $0.hasSuffix("/urls.py") || $0 == "urls.py" }
    case "tree.wsgi_entry":
      files.first { $0 == "wsgi/application" || $0.hasSuffix("/wsgi.py") || $0 == "wsgi.py" || $0 == "app.py" }
    default: nil
    }
  }

  /// The `${tree.…}` names this layout answers, with their values.
  public var known: [(name: String, value: String)] {
    ["tree.settings", "tree.manage_py", "tree.wsgi_entry", "tree.urls"].compactMap { name in value(for: name).map { (name, $0) } }
  }
}
