import ArgumentParser
import LogrxMatching
import LogrxVocabulary
import LogrxIngest
import LogrxRules
import LogrxDiagnose
import LogrxRecommend
import LogrxState
import LogrxReport

#if canImport(Glibc)
  import Glibc
#endif

/// Set by the SIGINT handler; read by the watch loop.
nonisolated(unsafe) private var interrupted: sig_atomic_t = 0

struct Watch: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Follow a live log on standard input and print each failure as soon as it shows.",
    discussion: """
      Meant for `oc logs -f dc/django | logrx watch`. Each finding is printed the moment its \
      lines have arrived: a single line at once, a Python traceback when the next line comes or \
      after --idle milliseconds of quiet. When the stream ends, or on Ctrl-C, the summary follows \
      with root causes and fixes.
      """)

  @Option(name: .long, help: ArgumentHelp("Milliseconds of quiet after which an open traceback is reported.", valueName: "ms"))
  var idle: Int32 = 200

  @Option(name: .long, help: ArgumentHelp("Output format: text or jsonl.", valueName: "format"))
  var format: WatchFormat = .text

  @OptionGroup var rules: RuleOptions
  @OptionGroup var output: OutputOptions
  @OptionGroup var redaction: RedactionOptions

  func validate() throws {
    if idle < 1 { throw ValidationError("--idle must be at least 1 millisecond.") }
  }

  func run() throws {
    let session = Session(catalog: try rules.catalogWithRules(), tree: nil)
    let analysis = session.analysis
    let out = StandardOutput.shared
    let redactor = redaction.redactor
    let jsonl = JSONLinesReporter()
    let text = TextReporter(style: output.style)
    let renderer = session.renderer
    let live = LiveFindings(
      limit: output.maxFindings,
      render: { renderer.render(&$0, lastPod: analysis.lastPod) },
      deliver: { raw in
        let finding = redactor.redact(raw)
        switch format {
        case .jsonl: out.write(jsonl.line(for: finding))
        case .text: text.live(finding, to: out)
        }
        out.flush()
      })
    analysis.sink = live
    signal(SIGINT) { _ in interrupted = 1 }
    // A parent may have started us with SIGINT blocked (some process launchers do); Ctrl-C
    // must still end the watch with its summary.
    var mask = sigset_t()
    sigemptyset(&mask)
    sigaddset(&mask, SIGINT)
    sigprocmask(SIG_UNBLOCK, &mask, nil)

    var stdin = FileDescriptorSource(fd: 0, name: "<stdin>")
    let input = analysis.startLive(name: "<stdin>")
    var quiet = true
    while interrupted == 0 {
      if stdin.waitForInput(milliseconds: quiet ? -1 : idle) {
        guard input.read(from: &stdin) else { break }
        quiet = false
      } else if interrupted == 0 {
        // Quiet for `idle` ms: report open tracebacks, then wait without a time-out.
        input.idle()
        quiet = true
      }
    }
    input.end()

    let findings = redactor.redact(withExtendedLifetime(live) { session.findings(predict: false) })
    output.noteStoppedEarly(analysis.stopped)
    var summary = RunSummary(session)
    summary.inputs = ["<stdin>"]
    switch format {
    case .jsonl: out.write(jsonl.summaryLine(findings, summary: summary))
    case .text:
      out.write("\n--- summary ---\n")
      text.report(findings, summary: summary, to: out)
    }
    out.flush()
    let code = output.exitCode(findings: findings, runtimeErrors: session.catalog.hasErrors)
    if code != 0 { throw ExitCode(code) }
  }
}

enum WatchFormat: String, ExpressibleByArgument, CaseIterable {
  case text, jsonl
}
