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
    var stdin = FileDescriptorSource(fd: 0, name: "<stdin>")
    analysis.analyze(&stdin, name: "<stdin>")
    inputs.append("<stdin>")
  }

  /// The renderer for this session's findings: the tree's values, or the layout the logs
  /// reveal, and `--app`.
  public var renderer: FindingRenderer { FindingRenderer(catalog: catalog, values: recommender.treeValues, appName: appName) }

  /// The findings of the logs, rendered and correlated, with the tree's predictions added
  /// when `predict` is true. Without a tree, the paths the logs reveal (traceback frames)
  /// stand in for it.
  public func findings(predict: Bool = true) -> [Finding] {
    let seen = analysis.findings()
    if tree == nil {
      let layout = LogLayout(findings: seen)
      if !layout.files.isEmpty { recommender.layout = layout }
    }
    let rendered = renderer.rendered(seen, lastPod: analysis.lastPod)
    guard let tree, predict else { return rendered }
    let predicted = renderer.rendered(Predictor(catalog: catalog, tree: tree).findings())
    return recommender.combine(rendered, predicted: predicted)
  }

  /// A bad rule file or an unreadable input.
  public var hasRuntimeErrors: Bool { catalog.hasErrors || analysis.diagnostics.contains { $0.level == .error } }
}
