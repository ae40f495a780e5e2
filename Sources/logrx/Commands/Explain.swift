import ArgumentParser
import LogrxCore

struct Explain: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Explain the failures in pasted or saved logs: what failed, why, and what to change.",
    discussion: """
      Reads the files given (directories recursively, gzip files too), or standard input. On a \
      terminal with no file it asks you to paste the log and press Ctrl-D. All inputs are one \
      story: a build log and a pod log given together are correlated, so the root cause comes \
      first and the symptoms it explains are folded under it.

      Examples:
        logrx explain build.log pod.log
        oc logs --previous django-1-jfknz | logrx explain
        logrx explain --format json pod.log | jq .rule
      """)

  @Argument(help: ArgumentHelp("Log files or folders. Without any, read standard input.", valueName: "file"))
  var files: [String] = []

  @Option(name: .long, help: ArgumentHelp("Output format: text, json (JSON Lines), jsonl or markdown.", valueName: "format"))
  var format: ExplainFormat = .text

  @Option(name: .long, help: ArgumentHelp("The app's source folder: fixes are fitted to it, and failures predicted from it are added.", valueName: "dir"))
  var source: String?

  @OptionGroup var rules: RuleOptions
  @OptionGroup var output: OutputOptions

  func run() throws {
    let catalog = rules.catalog()
    var tree: SourceTree?
    if let source {
      do { tree = try SourceTree(path: source) } catch {
        Terminal.error("logrx: \(error)")
        throw ExitCode(2)
      }
    }
    let recommender = Recommender(tree: tree)
    let analysis = Analysis(catalog: catalog, identity: .byPod)
    analysis.treeValue = recommender.treeValue
    var inputs: [String] = []
    if files.isEmpty, Terminal.isTerminal(0), source != nil {
      // Only the tree, nothing piped in: explain what the tree predicts.
      inputs = [source!]
    } else if files.isEmpty {
      if Terminal.isTerminal(0) { Terminal.error("Paste the log, then press Ctrl-D on a new line (Ctrl-C cancels).") }
      var stdin = FileDescriptorSource(fd: 0, name: "<stdin>")
      analysis.analyze(&stdin, name: "<stdin>")
      inputs = ["<stdin>"]
    } else {
      let (paths, problems) = InputFiles.expand(files)
      problems.forEach(analysis.addInputDiagnostic)
      for path in paths { analysis.analyze(path: path) }
      inputs = paths
    }
    var findings = analysis.finish()
    if let tree {
      findings = recommender.combine(findings, predicted: Predictor(catalog: catalog, tree: tree).findings(treeValue: recommender.treeValue))
    }
    let summary = RunSummary(inputs: inputs, bytes: analysis.bytesRead, lines: analysis.linesRead, diagnostics: analysis.diagnostics)
    let patches = recommender.patches(for: findings)
    format.reportFormat.reporter(style: output.style, patches: patches).report(findings, summary: summary, to: StandardOutput.shared)
    StandardOutput.shared.flush()
    let runtimeErrors = catalog.hasErrors || analysis.diagnostics.contains { $0.level == .error }
    let code = output.exitCode(findings: findings, runtimeErrors: runtimeErrors)
    if code != 0 { throw ExitCode(code) }
  }
}

enum ExplainFormat: String, ExpressibleByArgument, CaseIterable {
  case text, json, jsonl, markdown
  var reportFormat: ReportFormat { ReportFormat(rawValue: rawValue)! }
}
