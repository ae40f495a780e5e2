import Foundation
import LogrxMatching
import LogrxVocabulary
import LogrxIngest
import LogrxRules
import LogrxDiagnose

#if canImport(Glibc)
  import Glibc
#endif

/// Turns findings into one plan of file changes and commands, fitted to a source tree when
/// there is one, with the assumptions it made.
public struct Recommender {
  public let tree: SourceTree?
  /// Without a tree: the paths the logs reveal.
  public var layout: LogLayout?
  /// `Rules/data/python-successors.yaml`, for the requirements codemod.
  public var packageTable: [String: [String: String]] = [:]

  public init(tree: SourceTree?, layout: LogLayout? = nil) {
    self.tree = tree
    self.layout = layout
  }

  /// The `${tree.…}` values: the tree's files; without a tree, what the logs show, then the
  /// V2 starter layout.
  public var treeValues: TreeValues { TreeValues(tree: tree, layout: layout) }

  /// What the plan assumes, for people to read.
  public var assumptions: [String] { assumptions(using: ["tree.settings", "tree.manage_py", "tree.wsgi_entry"]) }

  /// What the plan assumes, of the `${tree.…}` names in `used` (those the findings use).
  public func assumptions(using used: Set<String>) -> [String] {
    if let tree { return tree.notes }
    let fromLogs = layout?.known ?? []
    var notes = fromLogs.map { "no --source given: \($0.name) is \($0.value), as the log shows (/opt/app-root/src/\($0.value))" }
    let rest = ["tree.settings", "tree.manage_py", "tree.wsgi_entry", "tree.urls"].filter { name in
      used.contains(name) && !fromLogs.contains { $0.name == name }
    }
    if !rest.isEmpty {
      notes.append(
        "no --source given and the logs do not show where: assumed "
          + rest.map { "\($0) = \(SourceTreeDefaults.values[$0]!)" }.joined(separator: ", ")
          + " (the OpenShift V2 Django starter's layout); pass --source DIR to fit the patch to your tree")
    }
    return notes
  }

  /// The log findings with the predictions from the tree added (a prediction that repeats a
  /// log finding, same rule and same fingerprint captures, is left out unless it brings
  /// fixes of its own), correlated together.
  public func combine(_ logFindings: [Finding], predicted: [Finding]) -> [Finding] {
    // A path as the container saw it (/opt/app-root/src/app.sh, ./app.sh) names the tree's file.
    func sameFile(_ value: String) -> String {
      SourceTree.relativeToSourceRoot(value) ?? (value.hasPrefix("./") ? String(value.dropFirst(2)) : value)
    }
    func key(_ finding: Finding) -> String {
      let names = finding.rule.fingerprint ?? finding.rule.captureNames.sorted()
      return ([finding.rule.id] + names.sorted().map { "\($0)=\(sameFile(finding.captures[$0] ?? ""))" }).joined(separator: "\u{1}")
    }
    // A prediction that repeats a log finding is dropped, unless it brings fixes the log
    // finding lacks (a rule that folds all hits into one finding keeps the first hit's captures).
    var fixesByKey: [String: Set<ResolvedFix>] = [:]
    for finding in logFindings { fixesByKey[key(finding), default: []].formUnion(finding.fixes.map(mappedIntoTree)) }
    let base = logFindings.map(\.sequence).max() ?? 0
    var all = logFindings
    for (index, finding) in predicted.enumerated() {
      if let known = fixesByKey[key(finding)] {
        if Set(finding.fixes.map(mappedIntoTree)).isSubset(of: known) { continue }
      }
      var copy = finding
      if fixesByKey[key(finding)] != nil {
        // Kept beside the log finding it repeats: it needs an identity of its own.
        copy.fingerprint = StableHash.hex([finding.fingerprint, "predicted", finding.source.file])
      }
      copy.sequence = base + index + 1
      copy.explains = []
      copy.explainedBy = []
      all.append(copy)
    }
    for index in all.indices {
      all[index].explains = []
      all[index].explainedBy = []
    }
    return Correlator.correlate(all)
  }

  /// A plan with the fixes of `findings`, in their order.
  public func plan(for findings: [Finding]) -> Plan {
    var plan = Plan(hasTree: tree != nil, listing: tree?.files ?? [], reader: reader())
    plan.packageTable = packageTable
    plan.requirementHints = RequirementHint.from(findings)
    // Codemods first, on the tree as it is: the well-kept tools do what they cover, and the
    // rules' own edits then apply to their result (a regex written for the old form finds
    // nothing left to do where a tool already moved the code on).
    for finding in findings {
      for fix in finding.fixes where fix.kind == "codemod" { plan.apply(fix, rule: finding.rule.id) }
    }
    plan.finish()
    for finding in findings {
      for fix in finding.fixes where fix.kind != "codemod" { plan.apply(mappedIntoTree(fix), rule: finding.rule.id) }
    }
    plan.ensureEnvironmentFolders()
    return plan
  }

  /// A file named as the container saw it (`/opt/app-root/src/.s2i/action_hooks/deploy`, a
  /// traceback frame) is the same file in the tree; other absolute paths stay as they are
  /// (and the plan refuses them).
  public func mappedIntoTree(_ fix: ResolvedFix) -> ResolvedFix {
    guard let file = fix.file else { return fix }
    if file.hasPrefix("./") { return fix.editing(String(file.dropFirst(2))) }
    guard file.hasPrefix("/") else { return fix }
    if let tree { return fix.editing(tree.file(forLogPath: file) ?? SourceTree.relativeToSourceRoot(file) ?? file) }
    return fix.editing(SourceTree.relativeToSourceRoot(file) ?? file)
  }

  /// Each root cause's part of the patch, by fingerprint: the changes of the cause and of the
  /// symptoms it explains, against the tree as it is (so parts may overlap; `logrx fix` merges
  /// them into one patch).
  public func patches(for findings: [Finding]) -> [String: String] {
    plans(for: findings).compactMapValues { plan in
      let patch = UnifiedDiff.render(plan.changes)
      return patch.isEmpty ? nil : patch
    }
  }

  /// Each root cause's plan, by fingerprint: the fixes of the cause and of the symptoms it
  /// explains, against the tree as it is (what ``patches(for:)`` renders).
  public func plans(for findings: [Finding]) -> [String: Plan] {
    var result: [String: Plan] = [:]
    for cause in findings where cause.isRootCause {
      let group = [cause] + findings.filter { cause.explains.contains($0.fingerprint) }
      result[cause.fingerprint] = plan(for: group)
    }
    return result
  }

  /// Reads current files from the tree (content and mode); nothing without a tree. Only
  /// regular files are read (a FIFO or `/dev/zero` behind a link is not waited on). A file
  /// that is not UTF-8 is read lossily here, for the plan to show, and ``Applier`` refuses to
  /// write it (it compares bytes): logrx never re-encodes a file.
  public func reader() -> Plan.Reader {
    guard let tree else { return { _ in nil } }
    return { relative in
      let path = tree.absolute(relative)
      var info = stat()
      guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, let data = RegularFile.contents(atPath: path) else { return nil }
      return (String(decoding: data, as: UTF8.self), Int(info.st_mode & 0o777))
    }
  }
}
