import LogrxMatching
import LogrxDiagnose
import LogrxRules
import LogrxVocabulary

/// The V2 starter layout, used for `${tree.*}` when neither a source tree nor the logs say.
public enum SourceTreeDefaults {
  public static let values: [String: String] = [
    "tree.settings": "wsgi/myproject/myproject/settings.py",
    "tree.manage_py": "wsgi/myproject/manage.py",
    "tree.wsgi_entry": "wsgi/application",
    "tree.urls": "wsgi/myproject/myproject/urls.py",
    "tree.requirements": "requirements.txt",
    "tree.repo_dir": "/opt/app-root/src",
  ]

  public static func value(for name: String) -> String? { values[name] }
}

/// The values of `${tree.…}` names: the source tree's files when there is a tree; without
/// one, the paths the logs reveal; then the V2 starter layout.
public struct TreeValues {
  public var tree: SourceTree?
  public var layout: LogLayout?

  public init(tree: SourceTree? = nil, layout: LogLayout? = nil) {
    self.tree = tree
    self.layout = layout
  }

  public func value(for name: String) -> String? {
    if let tree { return tree.value(for: name) ?? SourceTreeDefaults.value(for: name) }
    return layout?.value(for: name) ?? SourceTreeDefaults.value(for: name)
  }
}

/// Fills in findings' messages, explanations and fixes from their rules' templates: the one
/// place where captures, the input's identity (`${source.pod}`, `${source.dc}`), the app's
/// tree (`${tree.settings}`) and the catalog's snippets meet. Each finding is rendered once.
public struct FindingRenderer {
  public let catalog: RuleCatalog
  public var values: TreeValues
  /// The deployment config's name when the input names no pod (`--app`).
  public var appName: String?

  public init(catalog: RuleCatalog, values: TreeValues = TreeValues(), appName: String? = nil) {
    self.catalog = catalog
    self.values = values
    self.appName = appName
  }

  /// The findings with their texts and fixes filled in; `lastPod` stands in for the pod of
  /// findings whose own lines name none (the latest deployment the inputs named).
  public func rendered(_ findings: [Finding], lastPod: String? = nil) -> [Finding] {
    findings.map { finding in
      var copy = finding
      render(&copy, lastPod: lastPod)
      return copy
    }
  }

  /// Fills in one finding's message, explanation and fixes.
  public func render(_ finding: inout Finding, lastPod: String? = nil) {
    let captures = finding.captures
    let source = finding.source
    let pod = source.pod ?? captures["pod"] ?? lastPod
    let appName = self.appName
    let values = self.values
    let catalog = self.catalog
    func value(_ name: String) -> String? {
      if let value = captures[name] { return value }
      switch name {
      case "source.pod": return pod
      case "source.container": return source.container
      case "source.namespace": return source.namespace
      case "source.file": return source.file
      case "source.dc": return pod.map(Origin.owner(ofPod:)) ?? appName ?? captures["build"].map(Origin.owner(ofBuild:))
      default: break
      }
      if name.hasPrefix("tree.") { return values.value(for: name) }
      if name.hasPrefix("snippet.") {
        // A snippet may itself use ${…} names (${tree.manage_py}); fill them the same way.
        return catalog.snippet(String(name.dropFirst(8))).map { Template($0).render(value) }
      }
      return nil
    }
    finding.message = finding.rule.message.render(value)
    finding.explanation = finding.rule.explanation.render(value)
    finding.fixes = finding.rule.fixes.compactMap { fix in
      guard fix.applies(value) else { return nil }
      let resolved = fix.action.resolved(value)
      // A replace's regex may name captures too (`^${package}==`): filled in regex-escaped.
      if case .replace(let file, let regex, let with, let unless) = resolved, regex.contains("${") {
        return .replace(file: file, regex: Template(regex).render { value($0).map(regexEscaped) }, with: with, unless: unless)
      }
      return resolved
    }
  }
}
