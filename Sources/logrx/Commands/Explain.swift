import Foundation
import ArgumentParser
import LogrxMatching
import LogrxVocabulary
import LogrxIngest
import LogrxRules
import LogrxDiagnose
import LogrxRecommend
import LogrxState
import LogrxReport

struct Explain: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Explain the failures in pasted or saved logs: what failed, why, and what to change.",
    discussion: """
      Reads the files given (directories recursively, gzip files too), or standard input. On a \
      terminal with no file it asks you to paste the log and press Ctrl-D. Files given one by \
      one are one story: a build log and a pod log given together are correlated, so the root \
      cause comes first and the symptoms it explains are folded under it. A folder is a set of \
      separate stories, as in `scan`: each file is its own source unless its path or lines \
      name the same pod as another's.

      Examples:
        logrx explain build.log pod.log
        logrx explain --explain build.log pod.log      # why, the log lines, the whole patch
        oc logs --previous django-1-jfknz | logrx explain
        logrx explain -o json pod.log | jq '.findings[].rule'
        logrx explain -o jsonl pod.log | jq 'select(.type == "finding") | .rule'
        logrx explain --format sarif --source . build.log pod.log > logrx.sarif
      """)

  @Argument(help: ArgumentHelp("Log files or folders. Without any, read standard input.", valueName: "file"))
  var files: [String] = []

  @Option(
    name: [.long, .customShort("o")],
    help: ArgumentHelp(
      "Output format: text, json (one document: findings, resolved, summary), jsonl (one JSON object a line), markdown or sarif (SARIF 2.1.0; with --source, each root cause's file edits are its SARIF fix). Schemas: Docs/schemas/.",
      valueName: "format"))
  var format: ExplainFormat = .text

  @Option(name: .long, help: ArgumentHelp("The app's source folder: fixes are fitted to it, and failures predicted from it are added.", valueName: "dir"))
  var source: String?

  @Flag(
    name: [.customLong("explain"), .customShort("v"), .customLong("verbose")],
    help: "Text: explain each root cause in full (why, the log lines, the whole patch), not in a few lines.")
  var explain = false

  @Option(name: .long, help: ArgumentHelp("The app's name on OpenShift (its deployment config), for commands when the logs name none.", valueName: "name"))
  var app: String?

  @Flag(name: .customLong("no-pager"), help: "Do not page the text on a terminal (by default LOGRX_PAGER, then PAGER, then less -FRX).")
  var noPager = false

  @OptionGroup var rules: RuleOptions
  @OptionGroup var output: OutputOptions
  @OptionGroup var redaction: RedactionOptions

  /// The command that shows this report in full.
  var fullReportCommand: String {
    let quoted = files.map { $0.allSatisfy { $0.isLetter || $0.isNumber || "/._-+:@%".contains($0) } ? $0 : "'\($0.replacingOccurrences(of: "'", with: "'\\''"))'" }
    let sourceArgument = source.map { " --source \($0)" } ?? ""
    return (["logrx explain --explain\(sourceArgument)"] + (quoted.isEmpty ? ["< LOG"] : quoted)).joined(separator: " ")
  }

  func run() throws {
    let session = Session(catalog: try rules.catalogWithRules(), tree: try SourceTreeOption.open(source), appName: app)
    if files.contains(where: { path in
      var isDirectory: ObjCBool = false
      return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }) {
      session.analysis.identity = .byFile
    }
    let limit = LiveFindings(limit: output.maxFindings)
    session.analysis.sink = limit
    if !files.isEmpty {
      session.read(files)
    } else if !(Terminal.isTerminal(0) && source != nil) {
      // Standard input. (With --source on a terminal and no file, only the tree is explained.)
      if Terminal.isTerminal(0) { Terminal.error("Paste the log, then press Ctrl-D on a new line (Ctrl-C cancels).") }
      session.readStandardInput()
    }
    let findings = session.findings()
    var summary = RunSummary(session)
    if format == .text {
      summary.diagnostics = InputProblems.sayUnreadable(summary.diagnostics)
      if InputProblems.nothingReadable(session) { throw ExitCode(2) }
      if InputProblems.noInput(session), session.tree == nil {
        Terminal.error("logrx: no input")
        return
      }
    }
    let patches = session.recommender.patches(for: findings)
    // SARIF fixes only from a real tree: without one, the plan guesses at files it cannot read.
    let plans = format == .sarif && session.tree != nil ? session.recommender.plans(for: findings) : [:]
    var assumptions: [String] = []
    let assumed = session.renderer.assumedTreeValues(in: findings)
    if !assumed.isEmpty {
      assumptions.append(
        "no --source given and the logs do not show where: assumed " + assumed.map { "\($0.value) (\($0.name))" }.joined(separator: ", ")
          + ", the OpenShift V2 Django starter's layout; pass --source DIR to use your tree's")
    }
    if findings.contains(where: { $0.fixes.contains { $0.run?.contains(Placeholder.marker) ?? false } || $0.explanation.contains(Placeholder.marker) }) {
      assumptions.append("where the logs do not give a name, the text says YOUR-…: put yours there, or pass --app NAME (the deployment config)")
    }
    let style = output.style
    let pager = Pager.start(enabled: format == .text && !noPager)
    format.reportFormat.reporter(
      style: style, patches: patches, plans: plans, sourceRoot: session.tree?.root,
      fullReportCommand: explain ? nil : fullReportCommand, assumptions: assumptions
    )
    .report(redaction.redactor.redact(findings), summary: summary, to: StandardOutput.shared)
    do { try StandardOutput.shared.deliver() } catch {
      Pager.finish(pager)
      Terminal.error("logrx: \(error)")
      throw ExitCode(2)
    }
    Pager.finish(pager)
    withExtendedLifetime(limit) { output.noteStoppedEarly(session.analysis.stopped) }
    let code = output.exitCode(findings: findings, runtimeErrors: session.hasRuntimeErrors)
    if code != 0 { throw ExitCode(code) }
  }
}

enum ExplainFormat: String, ExpressibleByArgument, CaseIterable {
  case text, json, jsonl, markdown, sarif
  var reportFormat: ReportFormat { ReportFormat(rawValue: rawValue)! }
}
