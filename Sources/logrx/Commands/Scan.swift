import ArgumentParser
import LogrxCore

struct Scan: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Scan many log files and folders; one line per finding, for scripts and cron.",
    discussion: """
      Each file is its own source: the same failure in two files is two findings. Output \
      pipes well: text is one `file:line: SEVERITY rule: message` line per finding and a \
      summary on standard error; jsonl is one JSON object per finding and a summary object.

      Examples:
        logrx scan /var/log/pods
        logrx scan --format jsonl builds/ | jq 'select(.type == "finding") | .rule'
      """)

  @Argument(help: ArgumentHelp("Log files or folders (recursively; gzip files too).", valueName: "path"))
  var paths: [String]

  @Option(name: .long, help: ArgumentHelp("Output format: text, jsonl or markdown.", valueName: "format"))
  var format: ScanFormat = .text

  @OptionGroup var rules: RuleOptions
  @OptionGroup var output: OutputOptions

  func validate() throws {
    if paths.isEmpty { throw ValidationError("Give at least one file or folder to scan.") }
  }

  func run() throws {
    let catalog = rules.catalog()
    let analysis = Analysis(catalog: catalog, identity: .byFile)
    let (files, problems) = InputFiles.expand(paths)
    problems.forEach(analysis.addInputDiagnostic)
    for path in files { analysis.analyze(path: path) }
    // In a scan, read in file order: by input, then by line.
    let position = Dictionary(files.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    let findings = analysis.finish().sorted {
      (position[$0.source.file] ?? 0, $0.firstLine, $0.sequence) < (position[$1.source.file] ?? 0, $1.firstLine, $1.sequence)
    }
    let summary = RunSummary(inputs: files, bytes: analysis.bytesRead, lines: analysis.linesRead, diagnostics: analysis.diagnostics)
    let out = StandardOutput.shared
    switch format {
    case .jsonl: JSONLinesReporter().report(findings, summary: summary, to: out)
    case .markdown: MarkdownReporter().report(findings, summary: summary, to: out)
    case .text:
      let style = output.style
      for finding in findings {
        out.write("\(finding.source.file):\(finding.firstLine): \(style.severityLabel(finding.rule.severity)) \(finding.rule.id): \(finding.message)\n")
      }
      out.flush()
      for diagnostic in analysis.diagnostics { Terminal.error("logrx: \(diagnostic)") }
      Terminal.error("logrx: \(findings.count) finding\(findings.count == 1 ? "" : "s") in \(files.count) file\(files.count == 1 ? "" : "s") (\(analysis.linesRead) lines)")
    }
    out.flush()
    let runtimeErrors = catalog.hasErrors || analysis.diagnostics.contains { $0.level == .error }
    let code = output.exitCode(findings: findings, runtimeErrors: runtimeErrors)
    if code != 0 { throw ExitCode(code) }
  }
}

enum ScanFormat: String, ExpressibleByArgument, CaseIterable {
  case text, jsonl, markdown
}

extension TextStyle {
  func severityLabel(_ severity: Severity) -> String {
    let label = severity.rawValue
    guard color else { return label }
    switch severity {
    case .error: return "\u{1B}[1;31m\(label)\u{1B}[0m"
    case .warning: return "\u{1B}[1;33m\(label)\u{1B}[0m"
    case .info: return "\u{1B}[1;36m\(label)\u{1B}[0m"
    }
  }
}
