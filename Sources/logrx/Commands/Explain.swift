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

  @OptionGroup var rules: RuleOptions
  @OptionGroup var output: OutputOptions

  func run() throws {
    let catalog = rules.catalog()
    let analysis = Analysis(catalog: catalog, identity: .byPod)
    var inputs: [String] = []
    if files.isEmpty {
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
    let findings = analysis.finish()
    let summary = RunSummary(inputs: inputs, bytes: analysis.bytesRead, lines: analysis.linesRead, diagnostics: analysis.diagnostics)
    format.reportFormat.reporter(style: output.style).report(findings, summary: summary, to: StandardOutput.shared)
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
