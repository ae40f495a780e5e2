import LogrxDiagnose
import LogrxIngest
import LogrxRules
import LogrxVocabulary

/// What `explain`, `fix` and `watch` share, the one entry point below the command line: the
/// rules, the optional source tree, one analysis over the logs (all inputs one story), the
/// predictions from the tree, and one rendering of every finding with the tree's values.
public final class Session {
  public let catalog: RuleCatalog
  public let tree: SourceTree?
  public let analysis: Analysis
  public let appName: String?
  /// The plan maker; without a tree its layout is what the logs reveal (set by ``findings(predict:)``).
  public private(set) var recommender: Recommender
  /// What was read, for the summary.
  public private(set) var inputs: [String] = []

  public init(catalog: RuleCatalog, tree: SourceTree?, appName: String? = nil) {
    self.catalog = catalog
    self.tree = tree
    self.appName = appName
    self.recommender = Recommender(tree: tree)
    self.recommender.packageTable = catalog.tables["python-successors"] ?? [:]
    self.analysis = Analysis(catalog: catalog, identity: .byPod)
  }

  /// Reads logs: files and folders (recursively); `-` reads standard input.
  public func read(_ paths: [String]) {
    for path in paths {
      if path == "-" {
        readStandardInput()
        continue
      }
      let (files, problems) = InputFiles.expand([path])
      problems.forEach(analysis.addInputDiagnostic)
      for file in files { analysis.analyze(path: file) }
      inputs += files
    }
  }

  /// Reads standard input to its end.
  public func readStandardInput() {
    // Gzip on standard input (`oc logs pod | gzip | logrx explain`) is decoded: no name says so.
    var stdin = SniffedSource(FileDescriptorSource(fd: 0, name: "<stdin>"))
    if (try? stdin.sniff()) == .gzip {
      var decoded = GzipSource(stdin, path: "<stdin>")
      analysis.analyze(&decoded, name: "<stdin>")
    } else {
      analysis.analyze(&stdin, name: "<stdin>")
    }
    inputs.append("<stdin>")
  }

  /// The renderer for this session's findings: the tree's values, or the layout the logs
  /// reveal, and `--app`.
  public var renderer: FindingRenderer {
    // Files that are their own sources do not lend each other a name.
    FindingRenderer(
      catalog: catalog, values: recommender.treeValues, appName: appName,
      namedInLogs: analysis.identity == .byFile ? nil : analysis.deploymentConfigsSeen.last,
      namedInLogsByFile: analysis.deploymentConfigByFile)
  }

  /// The findings of the logs, rendered and correlated, with the tree's predictions added
  /// when `predict` is true. Without a tree, the paths the logs reveal (traceback frames)
  /// stand in for it.
  public func findings(predict: Bool = true) -> [Finding] {
    let seen = analysis.findings()
    if tree == nil {
      let layout = LogLayout(findings: seen, paths: analysis.appPathsSeen)
      if !layout.files.isEmpty { recommender.layout = layout }
    }
    let rendered = renderer.rendered(seen, lastPod: analysis.lastPod)
    guard let tree, predict else { return rendered }
    var findings = recommender.combine(rendered, predicted: predictions(in: tree))
    // A fixed point in one run: look at the tree as the plan leaves it, and add what that
    // predicts (a requirements file the plan writes brings a Django version whose settings
    // need more). Each round's plan starts again from the tree on disk.
    for _ in 0..<Self.maxRounds {
      let planned = tree.applying(recommender.plan(for: findings).changes)
      let known = Set(findings.map(Self.key))
      let fingerprints = Set(findings.map(\.fingerprint))
      let more = predictions(in: planned).filter { !known.contains(Self.key($0)) }.map { finding in
        // A rule that folds every file into one finding predicts the next file once the
        // first is fixed: it needs an identity of its own, or correlation would fold it away.
        var copy = finding
        if fingerprints.contains(copy.fingerprint) { copy.fingerprint = StableHash.hex([finding.fingerprint, finding.source.file]) }
        return copy
      }
      guard !more.isEmpty else { break }
      findings = recommender.combine(findings.filter { !$0.predicted }, predicted: findings.filter(\.predicted) + more)
    }
    return findings
  }

  /// How many times the planned tree is looked at again.
  static let maxRounds = 4

  /// The tree's predictions, rendered with its own values.
  func predictions(in tree: SourceTree) -> [Finding] {
    FindingRenderer(catalog: catalog, values: TreeValues(tree: tree), appName: appName)
      .rendered(Predictor(catalog: catalog, tree: tree).findings())
  }

  /// A prediction's identity across rounds: its rule and captures (its line moves as the plan
  /// edits the file).
  static func key(_ finding: Finding) -> String {
    ([finding.rule.id, finding.source.file] + finding.captures.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }).joined(separator: "\u{1}")
  }

  /// A bad rule file or an unreadable input.
  public var hasRuntimeErrors: Bool { catalog.hasErrors || analysis.diagnostics.contains { $0.level == .error } }
}
