import ArgumentParser
import LogrxCore

/// What `explain` and `fix` share: the rules, the optional source tree, one analysis over the
/// logs, and the predictions from the tree.
struct Session {
  let catalog: RuleCatalog
  let tree: SourceTree?
  private(set) var recommender: Recommender
  let analysis: Analysis
  let appName: String?
  /// What was read, for the summary.
  private(set) var inputs: [String] = []

  /// Loads the rules and the tree; a tree that is not a folder ends the run with exit 2.
  init(rules: RuleOptions, source: String?, app: String? = nil) throws {
    catalog = rules.catalog()
    if let source {
      do { tree = try SourceTree(path: source) } catch {
        Terminal.error("logrx: \(error)")
        throw ExitCode(2)
      }
    } else {
      tree = nil
    }
    recommender = Recommender(tree: tree)
    analysis = Analysis(catalog: catalog, identity: .byPod)
    analysis.treeValue = recommender.treeValue
    analysis.appName = app
    appName = app
  }

  /// Reads logs: files and folders (recursively), `-` for standard input.
  mutating func read(_ paths: [String]) {
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

  mutating func readStandardInput() {
    var stdin = FileDescriptorSource(fd: 0, name: "<stdin>")
    analysis.analyze(&stdin, name: "<stdin>")
    inputs.append("<stdin>")
  }

  /// The findings of the logs, with the tree's predictions added when `predict` is true.
  /// Without a tree, the paths the logs reveal (traceback frames) stand in for it.
  mutating func findings(predict: Bool = true) -> [Finding] {
    var findings = analysis.finish()
    if tree == nil {
      let layout = LogLayout(findings: findings)
      if !layout.files.isEmpty {
        recommender.layout = layout
        analysis.treeValue = recommender.treeValue
        findings = analysis.finish()
      }
    }
    guard let tree, predict else { return findings }
    let predicted = Predictor(catalog: catalog, tree: tree).findings(treeValue: recommender.treeValue, appName: appName)
    return recommender.combine(findings, predicted: predicted)
  }

  var summary: RunSummary {
    RunSummary(inputs: inputs, bytes: analysis.bytesRead, lines: analysis.linesRead, diagnostics: analysis.diagnostics)
  }

  /// A bad rule file or an unreadable input.
  var hasRuntimeErrors: Bool { catalog.hasErrors || analysis.diagnostics.contains { $0.level == .error } }
}
