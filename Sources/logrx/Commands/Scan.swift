import ArgumentParser
import Foundation
import LogrxMatching
import LogrxVocabulary
import LogrxIngest
import LogrxRules
import LogrxDiagnose
import LogrxRecommend
import LogrxState
import LogrxReport

struct Scan: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Scan log files, folders, archives or a live cluster; one line per finding, for scripts and cron.",
    discussion: """
      Inputs: plain and gzip files; folders, walked recursively; node layouts \
      (/var/log/pods/<namespace>_<pod>_<uid>/<container>/*.log with rotated and .gz files, and \
      the /var/log/containers links, each file read once); must-gather and `oc adm inspect` \
      folders and their .tar.gz archives. Namespace, pod and container come from the paths. A \
      container's current and rotated logs are one source; other files are a source each.

      With --state FILE (SQLite), a rerun reads only the bytes added since the last run, \
      notices rotated and truncated files, and keeps each finding's history: new, ongoing, or \
      resolved when its pod's logs go on without it (or are gone). --report new (the default \
      with --state) prints only findings not seen before. The report is written before the run \
      commits: a report that cannot be written exits 2 with the state unchanged, and a report \
      file of a run killed before its commit is cut back by the next run, which reports those \
      findings again (nothing lost, nothing twice). With --state the exit status follows the \
      open findings (--exit-on open, the default) or the new ones (--exit-on new), and \
      --metrics gauges the open findings.

      Credentials in log lines (URL passwords, bearer and basic tokens, password and token \
      values, AWS keys, private keys) are shown as [REDACTED] unless --no-redact.

      --cluster reads a live cluster with oc (or kubectl) from PATH: the pods that are not \
      ready, restarting, waiting or failed, their logs and previous logs, their events, and \
      failed builds.

      Output pipes well: text is one `file:line: severity rule: message` line per finding and a \
      summary on standard error; jsonl is one JSON object per finding, one per resolved \
      finding, and a summary object; sarif is one SARIF 2.1.0 log, for GitHub code scanning and \
      other SARIF viewers. A progress bar shows on standard error when it is a terminal.

      Examples:
        logrx scan /var/log/pods
        logrx scan --state state.sqlite --since 2h --metrics logrx.prom /var/log/pods
        logrx history --state state.sqlite
        logrx scan must-gather.local.5150/ --format markdown > report.md
        logrx scan --cluster -n myproject
        logrx scan --format jsonl builds/ | jq 'select(.type == "finding") | .rule'
        logrx scan --format sarif /var/log/pods > logrx.sarif
      """)

  @Argument(help: ArgumentHelp("Log files, folders or archives (recursively; gzip and .tar.gz too).", valueName: "path"))
  var paths: [String] = []

  @Option(name: [.long, .customShort("o")], help: ArgumentHelp("Output format: text, json (one document), jsonl, markdown or sarif (SARIF 2.1.0, for code scanning).", valueName: "format"))
  var format: ScanFormat = .text

  @Option(name: .long, help: ArgumentHelp("Keep scan state in this SQLite file: read only new bytes, report only new findings.", valueName: "file"))
  var state: String?

  @Option(
    name: .long,
    help: ArgumentHelp("Which findings to report: new (not seen by an earlier run; needs --state, its default) or all.", valueName: "which"))
  var report: ReportMode?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Only lines stamped after this: a duration back from now (90s, 15m, 2h, 7d) or an RFC 3339 time. Lines without a timestamp go with the line before them.",
      valueName: "when"))
  var since: String?

  @Option(
    name: .customLong("exit-on"),
    help: ArgumentHelp(
      "With --state, which findings --fail-on looks at: open (default: not resolved, also those of earlier runs, so a failure that persists keeps failing) or new (first seen in this run).",
      valueName: "which"))
  var exitOn: ExitOn?

  @Option(name: .long, help: ArgumentHelp("Write Prometheus metrics of this scan to this file (text format, replaced atomically).", valueName: "file"))
  var metrics: String?

  @Option(
    name: [.customShort("j"), .long],
    help: ArgumentHelp(
      "Threads that read a large file's parts at once (default: LOGRX_JOBS, else every core; 1: one thread). The output is the same whatever the number.",
      valueName: "n"))
  var jobs: Int?

  @Flag(name: .customLong("no-progress"), help: "No progress bar, even on a terminal.")
  var noProgress = false

  @Flag(name: .long, help: "Read the cluster the current oc/kubectl context points at, instead of paths.")
  var cluster = false

  @Option(name: [.customShort("n"), .customLong("namespace")], help: ArgumentHelp("With --cluster: a namespace to read (repeatable; default: the context's).", valueName: "namespace"))
  var namespaces: [String] = []

  @Flag(name: [.customShort("A"), .customLong("all-namespaces")], help: "With --cluster: read every namespace.")
  var allNamespaces = false

  @Option(name: .long, help: ArgumentHelp("With --cluster: the client to run (default: oc from PATH, else kubectl).", valueName: "path"))
  var client: String?

  @Option(name: .long, help: ArgumentHelp("With --cluster: the kubeconfig file the client uses (default: KUBECONFIG, else ~/.kube/config).", valueName: "file"))
  var kubeconfig: String?

  @Option(
    name: .customLong("client-timeout"),
    help: ArgumentHelp("With --cluster: stop a client call that has not ended after this many seconds.", valueName: "seconds"))
  var clientTimeout: Double = 60

  @OptionGroup var rules: RuleOptions
  @OptionGroup var output: OutputOptions
  @OptionGroup var redaction: RedactionOptions

  func validate() throws {
    if cluster {
      if !paths.isEmpty { throw ValidationError("Give either paths or --cluster, not both.") }
    } else {
      if paths.isEmpty { throw ValidationError("Give at least one file or folder to scan, or --cluster.") }
      if !namespaces.isEmpty || allNamespaces || kubeconfig != nil { throw ValidationError("-n, --all-namespaces and --kubeconfig go with --cluster.") }
    }
    if state != nil, output.maxFindings != nil {
      throw ValidationError("--max-findings stops reading part-way; with --state the next run must start where this one really ended: use one or the other.")
    }
    if allNamespaces, !namespaces.isEmpty { throw ValidationError("Give -n NAMESPACE or --all-namespaces, not both.") }
    if exitOn != nil, state == nil { throw ValidationError("--exit-on needs --state FILE: without it every finding of the run counts.") }
    if report == .new, state == nil { throw ValidationError("--report new needs --state FILE, where earlier findings are kept.") }
    if !(clientTimeout > 0) { throw ValidationError("--client-timeout must be a number of seconds above 0.") }
    if let jobs, jobs < 1 { throw ValidationError("--jobs must be 1 or more.") }
    if jobs == nil, let value = ProcessInfo.processInfo.environment["LOGRX_JOBS"], (Int(value) ?? 0) < 1 {
      throw ValidationError("LOGRX_JOBS='\(value)': expected a number of threads, 1 or more.")
    }
    if let since, Timestamps.since(since, now: 0) == nil {
      throw ValidationError("--since '\(since)': expected a duration such as 90s, 15m, 2h or 7d, or a time such as 2024-05-01T10:00:00Z.")
    }
  }

  func run() throws {
    let catalog = try rules.catalogWithRules()
    // Kept to the end of the process: freeing thousands of rules as the scan returns cost ~40 M
    // instructions at 2000 rules (10 % of a start with a pack) for memory the exit gives back.
    _ = Unmanaged.passRetained(KeptToExit(catalog))
    var scanState: ScanState?
    if let state {
      do { scanState = try ScanState(path: state) } catch {
        Terminal.error("logrx: \(error)")
        throw ExitCode(2)
      }
    }
    let scanner = ScanJob(catalog: catalog, state: scanState)
    scanner.report = report ?? (state == nil ? .all : .new)
    scanner.maxFindings = output.maxFindings
    let environment = ProcessInfo.processInfo.environment
    scanner.jobs = jobs ?? environment["LOGRX_JOBS"].flatMap { Int($0) } ?? ProcessInfo.processInfo.activeProcessorCount
    if scanner.jobs > 1 { Self.limitMallocArenas() }
    // The size of the parts a file is cut into (tests cut small files into many parts).
    scanner.partSize = environment["LOGRX_PART_SIZE"].flatMap { Int64($0) }.map { max($0, 1) }
    scanner.since = since.flatMap { Timestamps.since($0, now: Date().timeIntervalSince1970) }
    let progress = ProgressBar(enabled: !noProgress && Terminal.isTerminal(2))
    scanner.onProgress = progress.update

    scanner.reportDescriptor = 1
    // The report is written and flushed (and synced, to a file) before the state commits: a
    // report that cannot be written leaves the state as it was.
    let deliver: (ScanResult) throws -> Void = { result in
      progress.clear()
      try report(result, stateful: scanState != nil)
    }
    let result: ScanResult
    var clusterFolder: URL?
    defer { clusterFolder.map { try? FileManager.default.removeItem(at: $0) } }
    do {
      if cluster {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("logrx-cluster-\(UUID().uuidString)")
        clusterFolder = folder
        // SIGINT or SIGTERM: the client is stopped and the fetched logs removed, not left behind.
        SignalCleanup.install(removing: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let fetched = try fetchCluster(into: folder, since: scanner.since)
        Terminal.error("logrx: \(fetched.podsPicked.count) of \(fetched.podsListed) pods need a look\(fetched.podsPicked.isEmpty ? "" : ": " + fetched.podsPicked.joined(separator: ", "))")
        result = try scanner.scan(
          files: fetched.files, problems: fetched.diagnostics, livePods: Set(fetched.podsPicked), trackOffsets: false,
          deliver: deliver)
      } else {
        result = try scanner.scan(paths: paths, deliver: deliver)
      }
    } catch let error as LogrxError {
      progress.clear()
      if error.code == .writeFailed {
        Terminal.error("logrx: \(error)\(scanState == nil ? "" : "; the scan state is unchanged, the next run reports these findings again")")
      } else {
        Terminal.error("logrx: \(error)")
      }
      throw ExitCode(2)
    }
    try writeMetrics(result)
    output.noteStoppedEarly(result.stoppedEarly)
    let runtimeErrors = catalog.hasErrors || result.diagnostics.contains { $0.level == .error }
    // With a state the exit code follows what is still broken (open findings) unless
    // --exit-on new asks for the new ones only.
    let severities: [Severity] =
      switch (scanState != nil, exitOn ?? .open) {
      case (true, .open): result.open.compactMap { Severity(rawValue: $0.severity) }
      case (true, .new): result.seen.filter { result.history[$0.fingerprint]?.status == .new }.map(\.rule.severity)
      case (false, _): result.findings.map(\.rule.severity)
      }
    let code = output.exitCode(severities: severities, runtimeErrors: runtimeErrors)
    if code != 0 { throw ExitCode(code) }
  }

  /// glibc gives each thread that allocates its own malloc arena, each keeping what was freed
  /// in it: with the parts of a file read on other threads that was ~10 MB more peak memory
  /// (and no faster). One arena, as `MALLOC_ARENA_MAX=1` would set (`mallopt` is not in
  /// Swift's Glibc module).
  static func limitMallocArenas() {
    typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
    let arenaMax: Int32 = -8  // M_ARENA_MAX in <malloc.h>
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
    _ = unsafeBitCast(symbol, to: Mallopt.self)(arenaMax, 1)
  }

  func fetchCluster(into folder: URL, since: Double?) throws -> ClusterFetcher.Fetched {
    guard let client = client ?? ClusterFetcher.defaultClient() else {
      throw LogrxError.cluster("--cluster needs oc or kubectl on PATH (or --client PATH)")
    }
    var fetcher = ClusterFetcher(client: client, namespaces: namespaces, allNamespaces: allNamespaces, folder: folder)
    fetcher.since = since
    fetcher.kubeconfig = kubeconfig
    fetcher.clientTimeout = clientTimeout
    if !allNamespaces, namespaces.isEmpty {
      // The context's namespace, as `oc project -q` would say.
      let current = try fetcher.currentNamespace()
      fetcher.namespaces = [current]
    }
    return try fetcher.fetch()
  }

  /// Writes the report to standard output and delivers it (flushed, synced to a file).
  func report(_ raw: ScanResult, stateful: Bool) throws(LogrxError) {
    let result = redaction.redactor.redact(raw)
    let out = StandardOutput.shared
    let summary = RunSummary(result, stateful: stateful)
    let findings = result.inFileOrder
    switch format {
    case .jsonl: JSONLinesReporter().report(findings, summary: summary, to: out)
    case .json: JSONDocumentReporter().report(findings, summary: summary, to: out)
    case .markdown: MarkdownReporter().report(findings, summary: summary, to: out)
    case .sarif: SARIFReporter().report(findings, summary: summary, to: out)
    case .text: ScanTextReporter(style: output.style).report(result, findings: findings, stateful: stateful, to: out, errors: StandardError())
    }
    try out.deliver()
  }

  func writeMetrics(_ result: ScanResult) throws {
    if let metrics {
      do {
        try PrometheusMetrics.write(PrometheusMetrics().render(result, finished: Date()), to: metrics)
      } catch {
        Terminal.error("logrx: cannot write metrics to \(metrics): \(error.localizedDescription)")
        throw ExitCode(2)
      }
    }
  }
}

enum ScanFormat: String, ExpressibleByArgument, CaseIterable {
  case text, json, jsonl, markdown, sarif
}

extension ReportMode: ExpressibleByArgument {}

/// Which findings of a stateful scan decide its exit status.
enum ExitOn: String, ExpressibleByArgument, CaseIterable {
  case open, new
}



/// A value held until the process exits (never freed).
final class KeptToExit<Value> {
  let value: Value
  init(_ value: Value) { self.value = value }
}
