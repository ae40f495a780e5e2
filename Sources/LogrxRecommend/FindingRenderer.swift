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

  /// The names whose value is the V2 starter's path only because neither a tree nor the logs
  /// say where the app keeps that file.
  public static let layoutNames: Set<String> = ["tree.settings", "tree.manage_py", "tree.wsgi_entry", "tree.urls"]

  /// Whether `name`'s value is assumed (the V2 starter's layout), not known.
  public func isAssumed(_ name: String) -> Bool {
    tree == nil && Self.layoutNames.contains(name) && layout?.value(for: name) == nil
  }
}

/// Fills in findings' messages, explanations and fixes from their rules' templates: the one
/// place where captures, the input's identity (`${source.pod}`, `${source.dc}`, `${source.kind}`), the app's
/// tree (`${tree.settings}`) and the catalog's snippets meet. Each finding is rendered once.
public struct FindingRenderer {
  public let catalog: RuleCatalog
  public var values: TreeValues
  /// The deployment config's name when the input names no pod (`--app`).
  public var appName: String?
  /// The deployment config the logs name (`oc logs -f dc/django`), when no finding names a pod.
  public var namedInLogs: String?
  /// The deployment config each input file names, before `namedInLogs`: a finding takes the
  /// name its own file gives.
  public var namedInLogsByFile: [String: String]

  public init(
    catalog: RuleCatalog, values: TreeValues = TreeValues(), appName: String? = nil, namedInLogs: String? = nil,
    namedInLogsByFile: [String: String] = [:]
  ) {
    self.catalog = catalog
    self.values = values
    self.appName = appName
    self.namedInLogs = namedInLogs
    self.namedInLogsByFile = namedInLogsByFile
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
    let predicted = finding.predicted
    let source = finding.source
    let pod = source.pod ?? captures["pod"] ?? lastPod
    let appName = self.appName
    let namedInLogs = namedInLogsByFile[source.file] ?? self.namedInLogs
    let values = self.values
    let catalog = self.catalog
    func value(_ name: String) -> String? {
      if let value = captures[name] { return value }
      switch name {
      case "source.pod": return pod
      case "source.container": return source.container
      case "source.namespace": return source.namespace
      case "source.file": return source.file
      // What showed the finding, for text true of both: "the log shows …", "the source tree shows …".
      case "source.kind": return predicted ? "the source tree" : "the log"
      case "source.dc":
        // The finding's own pod, then --app, then its build, then a `dc/NAME` its file (or the logs) name.
        return pod.map(Origin.owner(ofPod:)) ?? appName ?? captures["build"].map(Origin.owner(ofBuild:)) ?? namedInLogs
      default: break
      }
      if name.hasPrefix("tree.") { return values.value(for: name) }
      if name.hasPrefix("snippet.") {
        // A snippet may itself use ${…} names (${tree.manage_py}); fill them the same way.
        return catalog.snippet(String(name.dropFirst(8))).map { Template($0).render(value) }
      }
      return nil
    }
    let missing = Placeholder.words(for:after:)
    finding.message = finding.rule.message.render(value, missing: missing)
    finding.explanation = finding.rule.explanation.render(value, missing: missing)
    finding.fixes = finding.rule.fixes.compactMap { fix in
      guard fix.applies(value) else { return nil }
      // An edit of a file the inputs do not name cannot be planned: leave it out.
      if let file = fix.action.file, file.names.contains(where: { value($0) == nil }) { return nil }
      return fix.action.resolved(value, missing: missing)
    }
  }
}

extension FindingRenderer {
  /// The `${tree.…}` names a rule's texts and fixes use, snippets included.
  public func treeNames(of rule: Rule) -> Set<String> {
    var templates = [rule.message, rule.explanation]
    for fix in rule.fixes { templates += fix.action.values }
    var names: Set<String> = []
    var seen: Set<String> = []
    while let template = templates.popLast() {
      for name in template.names {
        if name.hasPrefix("tree.") { names.insert(name) }
        if name.hasPrefix("snippet."), seen.insert(name).inserted, let text = catalog.snippet(String(name.dropFirst(8))) {
          templates.append(Template(text))
        }
      }
    }
    return names
  }

  /// The assumed `${tree.…}` values the findings' texts use, with the value assumed, in name order.
  public func assumedTreeValues(in findings: [Finding]) -> [(name: String, value: String)] {
    let used = findings.filter { !$0.predicted }.reduce(into: Set<String>()) { $0.formUnion(treeNames(of: $1.rule)) }
    return used.filter(values.isAssumed).sorted().compactMap { name in SourceTreeDefaults.value(for: name).map { (name, $0) } }
  }
}

/// Words that stand in for a value the inputs do not give, in text people read and commands
/// they run: `oc start-build YOUR-BUILD-CONFIG`, `dc/YOUR-DEPLOYMENT-CONFIG`, never `<source.dc>`.
public enum Placeholder {
  /// Every word of this kind starts with it (`YOUR-POD`), so a reporter can tell that a
  /// command needs a name filled in.
  public static let marker = "YOUR-"

  /// The words for `name`, given the text before it (`bc/`, `route/`, `start-build `).
  public static func words(for name: String, after before: String) -> String {
    switch name {
    case "source.dc":
      let tail = before.suffix(24)
      if tail.hasSuffix("bc/") || tail.hasSuffix("buildconfig/") || tail.hasSuffix("start-build ") { return "YOUR-BUILD-CONFIG" }
      if tail.hasSuffix("route/") { return "YOUR-ROUTE" }
      if tail.hasSuffix("svc/") || tail.hasSuffix("service/") { return "YOUR-SERVICE" }
      if tail.hasSuffix("dc/") || tail.hasSuffix("deploymentconfig/") { return "YOUR-DEPLOYMENT-CONFIG" }
      return "YOUR-APP"
    case "source.pod": return "YOUR-POD"
    case "source.namespace": return "YOUR-PROJECT"
    case "source.container": return "YOUR-CONTAINER"
    case "source.file": return "the log"
    case "file", "frame_file", "app_frame_file": return "the app's file"
    default:
      // A capture the input did not give (a prediction from the tree has no log line).
      return "…"
    }
  }
}
