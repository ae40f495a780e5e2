import Foundation
import LogrxMatching
import LogrxVocabulary
import LogrxIngest
import LogrxRules

/// One run of the pipeline over one or more inputs: decode → match → assemble events →
/// deduplicate; ``findings()`` correlates.
///
/// Push-driven: bytes go in through ``analyze(_:input:)`` (or a ``LiveInput`` from
/// ``startLive(name:)`` for a live stream); an ``EventAssembler`` per input pushes hits to the
/// ``Deduplicator``, which pushes every finding seen for the first time to ``sink`` as soon
/// as its event is complete. The sink can stop the reading. Findings come out unrendered:
/// Recommend's renderer fills in their messages and fixes.
public final class Analysis {
  public let catalog: RuleCatalog
  public let deduplicator: Deduplicator
  /// Receives each new finding; returning false stops the reading.
  public var sink: (any FindingSink)? {
    get { deduplicator.sink }
    set { deduplicator.sink = newValue }
  }
  /// Problems with the inputs (unreadable files, cut lines, regex limits).
  public private(set) var diagnostics: [Diagnostic] = []
  /// Bytes and lines read so far.
  public private(set) var bytesRead = 0
  public private(set) var linesRead = 0

  let matcher: RuleMatcher
  private var limitReported: Set<String> = []

  public init(catalog: RuleCatalog, identity: SourceIdentity = .byPod) {
    self.catalog = catalog
    self.deduplicator = Deduplicator(catalog: catalog, identity: identity)
    self.failureSignals = FailureSignals(tables: catalog.tables)
    self.matcher = Self.matcher(for: catalog, failureSignals: failureSignals)
    // `watch` shows each finding when it is first seen, before the rest of the input: a rule
    // whose claim needs a context gets the severity that the input supports so far (its
    // `otherwise` until the context or a corroborating finding has been seen), never more.
    // Kept up to date as findings come (constant work per finding, however many there are).
    deduplicator.weighLive = { [unowned self] finding in
      self.liveSightings.note(finding)
      return Self.weighAssumption(
        of: finding, contexts: self.contextsSeen, everywhere: self.contextsEverywhere, sightings: self.liveSightings,
        identity: self.deduplicator.identity)
    }
  }

  /// The matcher of an analysis over `catalog`: its rules, the traceback markers, the contexts
  /// and the failure signals, on the catalog's stored prefilters.
  static func matcher(for catalog: RuleCatalog, failureSignals: FailureSignals) -> RuleMatcher {
    RuleMatcher(
      rules: catalog.rules, markers: TracebackAssembler.markers,
      contexts: RuleMatcher.contexts(in: catalog.tables) + failureSignals.patterns, stored: catalog.prefilters)
  }

  /// The Vectorscan databases an analysis over `catalog` runs on, compiled now, for
  /// `logrx rules compile` to store in the pack (empty when Vectorscan does not run here).
  public static func prefiltersToStore(for catalog: RuleCatalog) -> [StoredPrefilter.Bytes] {
    matcher(for: catalog, failureSignals: FailureSignals(tables: catalog.tables)).storedPrefilter().map { [$0] } ?? []
  }

  /// Whether this analysis's matcher started on a pack's stored Vectorscan databases.
  public var startedOnStoredPrefilter: Bool { matcher.startedOnStoredPrefilter }

  /// The rules whose findings were handed on so far, for weighing the next one as it comes.
  private var liveSightings = Sightings()

  /// The lines that show a failure (for `unclassified` findings) and the healthy baseline.
  public let failureSignals: FailureSignals
  /// Lines that may show a failure no rule knows, by input file (at most 500 each).
  public private(set) var candidates: [String: [FailureSignals.Candidate]] = [:]
  /// Whether inputs without any rule's warning or error get an `unclassified` finding.
  public var reportsUnclassified = true

  /// - Parameter prepared: what ``PreparedSignal`` worked out from the line already (on the
  ///   thread that matched it), or nil to work it out here.
  func noteSignal(_ name: String, line: EvidenceLine, origin: Origin, prepared: PreparedSignal? = nil) {
    guard candidates[origin.file, default: []].count < 500 else { return }
    // The weakest signals (a word such as "failed") do not count on a line whose own level
    // says it is not an error: Django's "WARNING ... Forbidden (Referer checking failed ...)".
    if failureSignals.weight(of: name) < 2, prepared?.calm ?? Self.showsCalmLevel(line.text) { return }
    let template = prepared?.template ?? LogTemplate.of(FailureSignals.decisiveText(line.text))
    candidates[origin.file, default: []].append(
      FailureSignals.Candidate(line: line, signal: name, weight: failureSignals.weight(of: name), template: template, origin: origin))
  }

  /// What ``noteSignal(_:line:origin:prepared:)`` derives from a failure signal's line alone
  /// (pure functions of its text, so any thread may work them out): whether it shows a calm
  /// level, and the template of its decisive text.
  struct PreparedSignal {
    var calm: Bool
    var template: String

    init(text: String) {
      calm = Analysis.showsCalmLevel(text)
      template = LogTemplate.of(FailureSignals.decisiveText(text))
    }
  }

  /// Whether a line carries a log level below error (INFO, WARNING, DEBUG, NOTICE, a database's
  /// LOG or Note) in one of the usual spellings.
  static func showsCalmLevel(_ text: String) -> Bool {
    let levels = [
      "WARNING", "[WARN", " WARN ", "[INFO]", "INFO:", " INFO ", "[DEBUG]", "DEBUG:", " DEBUG ", "NOTICE", "[Note]",
      "[Warning]", " LOG: ", "[notice]", "[info]", "[warn]",
    ]
    return levels.contains { text.contains($0) }
  }

  /// The input contexts seen (`Rules/data/contexts.yaml`), by input file.
  public private(set) var contextsSeen: [String: Set<String>] = [:]
  /// The contexts seen in any input file.
  public private(set) var contextsEverywhere: Set<String> = []

  func noteContext(_ name: String, file: String, line: Int = 0) {
    contextsSeen[file, default: []].insert(name)
    contextsEverywhere.insert(name)
    contextLastLines[file, default: [:]][name] = max(line, contextLastLines[file]?[name] ?? 0)
  }

  /// The last line of each input file that showed each context (for recoveries).
  public private(set) var contextLastLines: [String: [String: Int]] = [:]

  /// `Rules/data/recoveries.yaml`: for a rule id, the context whose line, when it comes after
  /// the finding's last hit in the same input, shows that the failure was passing (a database
  /// that was not up yet when the app first tried it), and the severity the finding takes then.
  var recoveries: [String: (context: String, severity: Severity)] {
    (catalog.tables["recoveries"] ?? [:]).reduce(into: [:]) { result, entry in
      guard let context = entry.value["context"] else { return }
      result[entry.key] = (context, entry.value["severity"].flatMap(Severity.init(rawValue:)) ?? .info)
    }
  }

  /// Applies ``recoveries``: a finding whose failure the input shows passing afterwards (same
  /// file, a later line) is lowered to the recovery's severity. A failure after the recovery
  /// line (the database up, and the app still refused) keeps its own.
  static func weighRecoveries(
    _ findings: [Finding], recoveries: [String: (context: String, severity: Severity)], lastLines: [String: [String: Int]]
  ) -> [Finding] {
    guard !recoveries.isEmpty else { return findings }
    return findings.map { finding in
      guard let recovery = recoveries[finding.rule.id],
        let recovered = lastLines[finding.source.file]?[recovery.context], recovered > finding.lastLine
      else { return finding }
      var lowered = finding
      lowered.rule.severity = min(recovery.severity, finding.rule.severity)
      return lowered
    }
  }

  /// Deployment configs the inputs name (`oc logs -f dc/django`, `deploymentconfig "django"`),
  /// the most recent last: the app's name for commands when no finding names a pod.
  public private(set) var deploymentConfigsSeen: [String] = []
  /// The deployment config each input file names last: where files are their own sources
  /// (`scan`, `explain` of unrelated files), a file's commands take its own name only.
  public private(set) var deploymentConfigByFile: [String: String] = [:]

  func noteDeploymentConfig(in line: String, file: String) {
    guard let name = Self.deploymentConfig(in: line) else { return }
    deploymentConfigsSeen.removeAll { $0 == name }
    deploymentConfigsSeen.append(name)
    deploymentConfigByFile[file] = name
  }

  /// The deployment config a line names, if any: `dc/NAME`, `deploymentconfig/NAME`,
  /// `deploymentconfig "NAME"`; NAME must be a valid object name (DNS-1123 subdomain).
  static func deploymentConfig(in line: String) -> String? {
    for marker in ["dc/", "deploymentconfig/", "deploymentconfig.apps.openshift.io/", "deploymentconfig \"", "DeploymentConfig \""] {
      var rest = Substring(line)
      while let range = rest.range(of: marker) {
        defer { rest = rest[range.upperBound...] }
        if range.lowerBound > line.startIndex, let before = line[..<range.lowerBound].last, before.isLetter || before.isNumber || before == "-" {
          continue
        }
        let name = rest[range.upperBound...].prefix { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-" || $0 == ".") }
        if let first = name.first, first.isLetter || first.isNumber, name.count <= 253, name.last != "-", name.last != "." { return String(name) }
      }
    }
    return nil
  }

  /// Paths of the app's files that the logs name outside tracebacks (the S2I builder's
  /// `$ python ./manage.py collectstatic` hint), relative to the source root, first seen first.
  public private(set) var appPathsSeen: [String] = []

  func noteAppPath(in line: String) {
    guard let range = line.range(of: "manage.py") else { return }
    let start = line[..<range.lowerBound].lastIndex(of: " ").map(line.index(after:)) ?? line.startIndex
    var path = String(line[start..<range.upperBound])
    if path.hasPrefix("./") { path.removeFirst(2) }
    if path.hasPrefix("/opt/app-root/src/") { path.removeFirst("/opt/app-root/src/".count) }
    guard !path.hasPrefix("/"), !path.contains(".."), !appPathsSeen.contains(path) else { return }
    appPathsSeen.append(path)
  }

  /// How findings of different inputs are told apart; set it before the first input is read.
  /// `explain` of a folder uses `.byFile`: unrelated files are separate stories.
  public var identity: SourceIdentity {
    get { deduplicator.identity }
    set { deduplicator.identity = newValue }
  }

  /// Whether the sink asked to stop: inputs read after that are not read.
  public var stopped: Bool { deduplicator.stopped }

  // MARK: Inputs

  /// Reads `source` to its end and analyses it as one input named `name`.
  public func analyze<Source: ByteSource>(_ source: inout Source, name: String) {
    analyze(&source, input: InputDescription(name: name))
  }

  /// Reads `source` to its end (or until the sink stops the search) as the input `input`
  /// describes (its origin, where its line numbers start, a `--since` cut-off).
  /// - Returns: the number of the last line read.
  @discardableResult
  public func analyze<Source: ByteSource>(_ source: inout Source, input description: InputDescription) -> Int {
    guard !stopped else { return description.firstLine - 1 }
    // A binary file is skipped with a note. (The caller's source goes on from where this
    // reading stopped: a tar reader reads its next entry from there.)
    var sniffed = SniffedSource(source)
    defer { source = sniffed.upstream }
    let kind: SniffedSource<Source>.Kind
    do { kind = try sniffed.sniff() } catch {
      diagnostics.append(Diagnostic(.warning, at: nil, error.description, file: description.name))
      return description.firstLine - 1
    }
    switch kind {
    case .text, .gzip:
      // Gzip here is a compressed file inside an archive or after decoding: read as it is.
      return analyzeLines(&sniffed, input: description)
    case .binary(let why):
      skippedBinaries.append(description.name)
      diagnostics.append(Diagnostic(.warning, at: nil, "binary file (\(why)), skipped", file: description.name))
      // Read to the end all the same, unanalysed: a damaged archive says so only when read.
      let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
      defer { buffer.deallocate() }
      do { while try sniffed.read(into: buffer) > 0 {} } catch {
        diagnostics.append(Diagnostic(.warning, at: nil, error.description, file: description.name))
      }
      return description.firstLine - 1
    }
  }

  /// Inputs skipped as binary files.
  public private(set) var skippedBinaries: [String] = []

  /// Read every input's lines as they are, as source files (``LogDecoder/verbatim``): the
  /// predictions from a tree run the rules over code, where an 80-character line or a leading
  /// timestamp-like token is not a log's.
  public var verbatimLines = false

  /// Threads that decode and match parts of one large file at once
  /// (``analyze(fd:from:to:input:)``); 1: this thread only.
  public var jobs = 1
  /// The size of those parts: a file of more than two is split.
  public var partSize: Int64 = 1 << 20
  /// Parts read again on this thread because the part before ended in another decoder state
  /// than the one guessed at their start.
  public internal(set) var partsReadAgain = 0
  /// Parts whose events were worked out on the thread that read them, from an empty traceback
  /// state, and assembled again on this thread because a traceback of an origin of their lines
  /// was open where they start.
  public internal(set) var partsAssembledAgain = 0
  /// Files read ahead on other threads (``prefetch(_:)``).
  var prefetcher: FilePrefetch?

  private func analyzeLines<Source: ByteSource>(_ source: inout Source, input description: InputDescription) -> Int {
    let input = EventAssembler(analysis: self, name: description.name)
    var reader = LineReader(firstLine: description.firstLine)
    defer { reader.deallocate() }
    var decoder = input.makeDecoder()
    decoder.defaults = description.origin
    decoder.since = description.since
    decoder.verbatim = verbatimLines
    do {
      while !stopped, try reader.readChunk(&source, into: &decoder) {}
    } catch {
      diagnostics.append(Diagnostic(.warning, at: nil, error.description, file: description.name))
    }
    decoder.finish()
    input.finish(cutLines: decoder.cutLines)
    return reader.lastLineNumber
  }

  /// Opens the file at `path` (gzip recognised by its magic bytes, whatever the name) and
  /// analyses it under the name `name` (default: the path), with what the path says about
  /// its pod. A file that cannot be opened is an error diagnostic.
  public func analyze(path: String, name: String? = nil) {
    var origin = LogPaths.origin(forPath: path)
    origin.file = name ?? path
    analyze(path: path, input: InputDescription(name: name ?? path, origin: origin))
  }

  /// Opens the file at `path` and analyses it as `input` describes.
  public func analyze(path: String, input: InputDescription) {
    do {
      var source = try InputFiles.open(path, name: input.name)
      analyze(&source, input: input)
    } catch {
      addInputDiagnostic(Diagnostic(.error, at: nil, error.description, file: input.name))
    }
  }

  /// Starts a live input; feed it chunk by chunk with ``LiveInput/read(from:)``.
  public func startLive(name: String) -> LiveInput { LiveInput(analysis: self, name: name) }

  // MARK: Results

  /// All findings so far, unrendered and correlated: root causes first in stage order, each
  /// followed by the symptoms it explains.
  public func findings() -> [Finding] {
    let weighed = Self.weighAssumptions(deduplicator.all, contexts: contextsSeen, identity: deduplicator.identity)
    var all = Self.weighRecoveries(weighed, recoveries: recoveries, lastLines: contextLastLines)
    // A failure that passed is known, not unclassified: the unclassified check sees it as it was.
    if reportsUnclassified { all += unclassifiedFindings(besides: weighed) }
    return Correlator.correlate(all, identity: deduplicator.identity)
  }

  /// Rules that only say that the app did not start or answer, never why: the reason is in the
  /// log beside them (gunicorn's boot failure, a restart loop, uWSGI or mod_wsgi without an
  /// app, Django's unlogged 500s, a Job whose pods kept failing).
  static let genericSymptoms: Set<String> = [
    "gunicorn-worker-boot-failed", "k8s-crashloop-backoff", "uwsgi-no-python-application",
    "mod-wsgi-script-load-failed", "django-500-unlogged", "k8s-job-failed",
  ]

  /// Whether a traceback's last line states its exception (`SyntaxError: '{' was never closed`,
  /// `shop.models.Product.DoesNotExist: ...`), not a code line where a paste was cut.
  public static func statesException(_ text: String) -> Bool {
    let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
    for (position, word) in words.enumerated() where word.hasSuffix(":") {
      if position > 0, ["except", "raise", "class", "def"].contains(words[position - 1]) { continue }
      let name = word.dropLast()
      guard !name.contains("("), !name.contains("\""), let last = name.split(separator: ".").last,
        last.first?.isUppercase == true
      else { continue }
      if ["Error", "Exception", "DoesNotExist", "Exit"].contains(where: { last.hasSuffix($0) }) { return true }
    }
    return false
  }

  /// One `unclassified` finding per story (all inputs with `.byPod`, each file with `.byFile`)
  /// that shows failure lines but no finding at warning or error level: its evidence is the
  /// rarest of those lines against the healthy baseline, the most telling first.
  /// A story whose only warnings and errors are generic symptoms (``genericSymptoms``) and that
  /// shows a traceback's final exception gets one too, made of those exceptions and explaining
  /// the symptoms: "Worker failed to boot" says that the app did not load, the exception why.
  func unclassifiedFindings(besides findings: [Finding]) -> [Finding] {
    let byFile = deduplicator.identity == .byFile
    // With .byFile a story is a file, or a deployment when the lines name their pod (its log
    // and its events are read as separate inputs).
    func story(_ origin: Origin) -> String {
      guard byFile else { return "" }
      if let owner = origin.deploymentName { return "pod:\(origin.namespace ?? "")/\(owner)" }
      return "file:" + origin.file
    }
    var stories: [String: [FailureSignals.Candidate]] = [:]
    for list in candidates.values {
      for candidate in list { stories[story(candidate.origin), default: []].append(candidate) }
    }
    var result: [Finding] = []
    for (key, list) in stories.sorted(by: { $0.key < $1.key }) {
      let loud = findings.filter { $0.rule.severity >= .warning && story($0.source) == key }
      var rule = FailureSignals.rule
      var pool = list
      if !loud.isEmpty {
        // Only generic symptoms spoke (a worker that failed to boot, a restart loop): the final
        // exception of a traceback no rule recognised is their reason, so it leads the story.
        guard loud.allSatisfy({ Self.genericSymptoms.contains($0.rule.id) }) else { continue }
        pool = list.filter { $0.signal == "traceback" && Self.statesException($0.line.text) }
        guard !pool.isEmpty else { continue }
        rule.explains = Set(loud.map(\.rule.id)).sorted()
      }
      let ranked = failureSignals.ranked(pool.sorted { $0.line.line < $1.line.line })
      guard let top = ranked.first else { continue }
      let evidence = ranked.prefix(5).map { EvidenceLine(line: $0.line.line, text: $0.line.text) }
      let decisive = FailureSignals.decisiveText(top.line.text)
      var finding = deduplicator.makeFinding(
        rule: rule,
        captures: [
          "line": String(decisive.trimmingCharacters(in: .whitespaces).prefix(240)), "template": top.template,
          "signal": top.signal,
        ],
        evidence: evidence, origin: top.origin)
      finding.firstLine = evidence.map(\.line).min() ?? top.line.line
      finding.lastLine = evidence.map(\.line).max() ?? top.line.line
      finding.count = ranked.count
      finding.sequence = deduplicator.count + 1 + result.count
      result.append(finding)
    }
    return result
  }

  /// Applies each rule's `assumes:`: a finding whose claim needs a context (an OpenShift log,
  /// an S2I build) keeps its severity only when its input shows one of them, or a finding of a
  /// corroborating rule; otherwise it takes the rule's `otherwise` severity, or is dropped.
  /// A line whose origin names a pod (`oc logs --prefix`, a node-log path) shows `kubernetes`.
  /// Inputs are one story with ``SourceIdentity/byPod`` (`explain`), separate with `.byFile`.
  static func weighAssumptions(_ findings: [Finding], contexts: [String: Set<String>], identity: SourceIdentity) -> [Finding] {
    guard findings.contains(where: { $0.rule.assumption != nil }) else { return findings }
    var sightings = Sightings()
    findings.forEach { sightings.note($0) }
    let everywhere = contexts.values.reduce(into: Set<String>()) { $0.formUnion($1) }
    return findings.compactMap {
      weighAssumption(of: $0, contexts: contexts, everywhere: everywhere, sightings: sightings, identity: identity)
    }
  }

  /// One finding weighed: kept when its rule assumes nothing, or when its story shows one of
  /// the contexts or a related finding corroborates it; else at its `otherwise` severity, or
  /// nil (no finding) when it has none.
  static func weighAssumption(
    of finding: Finding, contexts: [String: Set<String>], everywhere: Set<String>, sightings: Sightings, identity: SourceIdentity
  ) -> Finding? {
    guard let assumption = finding.rule.assumption else { return finding }
    var story = identity == .byFile ? contexts[finding.source.file] ?? [] : everywhere
    if finding.source.pod != nil || (identity == .byPod && sightings.podSeen) { story.insert("kubernetes") }
    if !story.isDisjoint(with: assumption.contexts)
      || assumption.corroboratedBy.contains(where: { sightings.saw($0, relatedTo: finding, identity: identity) })
    {
      return finding
    }
    guard let severity = assumption.otherwise else { return nil }
    var lowered = finding
    lowered.rule.severity = min(severity, finding.rule.severity)
    return lowered
  }

  /// The number of distinct findings so far.
  public var findingCount: Int { deduplicator.count }

  /// The pod the inputs named last (the latest deployment), for commands about findings
  /// whose own lines name none.
  public var lastPod: String? { deduplicator.podsSeen.last }

  /// A finding for one hit, not recorded (see ``Deduplicator/makeFinding(rule:captures:evidence:origin:predicted:)``).
  public func makeFinding(rule: Rule, captures: [String: String], evidence: [EvidenceLine], file: String, predicted: Bool) -> Finding {
    deduplicator.makeFinding(rule: rule, captures: captures, evidence: evidence, origin: Origin(file: file), predicted: predicted)
  }

  /// Records a problem with an input (one that could not be read at all, a cut line).
  public func addInputDiagnostic(_ diagnostic: Diagnostic) { diagnostics.append(diagnostic) }

  func reportLimit(rule: Rule, file: String, line: Int) {
    let key = "\(rule.id)@\(file)"
    guard limitReported.insert(key).inserted else { return }
    diagnostics.append(
      Diagnostic(
        .warning, at: SourceLocation(file: file, line: line, column: 1),
        "rule '\(rule.id)' hit PCRE2's match limit on this line and was skipped there; simplify its regex"))
  }

  func count(bytes: Int, lines: Int) {
    bytesRead += bytes
    linesRead += lines
  }
}

/// One input of an analysis: its name, what its path says about its lines, where its line
/// numbers start (a scan that resumes a file) and a `--since` cut-off.
public struct InputDescription: Sendable {
  public var name: String
  public var origin: Origin
  public var firstLine: Int
  public var since: Double?

  public init(name: String, origin: Origin? = nil, firstLine: Int = 1, since: Double? = nil) {
    self.name = name
    self.origin = origin ?? Origin(file: name)
    self.firstLine = firstLine
    self.since = since
  }
}

/// A live input (standard input for `watch`): read chunk by chunk, with idle flushes.
public final class LiveInput {
  let input: EventAssembler
  private var reader = LineReader()
  private var decoder: LogDecoder
  public private(set) var ended = false

  init(analysis: Analysis, name: String) {
    input = EventAssembler(analysis: analysis, name: name)
    decoder = input.makeDecoder()
  }

  deinit { reader.deallocate() }

  /// Reads what `source` has now (one `read(2)`); returns false at the end of input, or
  /// when the analysis's sink stopped the search.
  public func read<Source: ByteSource>(from source: inout Source) -> Bool {
    guard !ended else { return false }
    do {
      if !input.analysis.stopped, try reader.readChunk(&source, into: &decoder) { return true }
    } catch {
      input.analysis.addInputDiagnostic(Diagnostic(.warning, at: nil, error.description, file: input.name))
    }
    end()
    return false
  }

  /// Nothing arrived for a while: close open tracebacks so their findings come out now.
  public func idle() {
    decoder.idle()
    input.flushEvents()
  }

  /// Ends the input (EOF or Ctrl-C): pending lines and deferred findings are decided.
  public func end() {
    guard !ended else { return }
    ended = true
    decoder.finish()
    input.finish(cutLines: decoder.cutLines)
  }
}


/// Which rules' findings the inputs showed, and where (file, pod): what an `assumes:` claim's
/// corroboration looks up, in constant time per question.
struct Sightings {
  private var anywhere: Set<String> = []
  private var byFile: [String: Set<String>] = [:]
  private var byPod: [String: Set<String>] = [:]
  /// Whether any finding named a pod.
  private(set) var podSeen = false

  mutating func note(_ finding: Finding) {
    let id = finding.rule.id
    anywhere.insert(id)
    byFile[finding.source.file, default: []].insert(id)
    if let pod = finding.source.pod {
      byPod[pod, default: []].insert(id)
      podSeen = true
    }
  }

  /// Whether a finding of rule `id` was seen in `finding`'s story: anywhere when the inputs are
  /// one story (by pod), else in the same file or the same pod.
  func saw(_ id: String, relatedTo finding: Finding, identity: SourceIdentity) -> Bool {
    if identity == .byPod { return anywhere.contains(id) }
    if byFile[finding.source.file]?.contains(id) == true { return true }
    return finding.source.pod.map { byPod[$0]?.contains(id) == true } ?? false
  }
}
