/// How findings in different inputs are told apart.
public enum SourceIdentity: Sendable {
  /// By pod (when the log says which) and otherwise not at all: a build log and a pod log
  /// pasted together are one story (`explain`, `watch`).
  case byPod
  /// By file as well, unless the file's path or lines name the pod: then by namespace,
  /// deployment and container, so a container's current and rotated logs are one source
  /// (`scan`).
  case byFile
}

/// One run of the pipeline over one or more inputs: decode → match → assemble events →
/// deduplicate → correlate.
///
/// Push-driven: bytes go in through ``analyze(_:name:)`` (or a ``LiveInput`` from
/// ``startLive(name:)`` for a live stream), and every finding seen for the first time is
/// pushed to `onNewFinding` as soon as its event is complete. ``finish()`` returns all findings, correlated and ordered.
public final class Analysis {
  public let catalog: RuleCatalog
  public let identity: SourceIdentity
  /// Called with each finding the first time it is seen (not for repeats).
  public var onNewFinding: ((Finding) -> Void)?
  /// Values of `${tree.…}` names: locations in the app's source tree. Without a tree, the
  /// V2 starter layout.
  public var treeValue: (String) -> String? = SourceTreeDefaults.value(for:)
  /// The deployment config's name when the input names no pod (`--app`).
  public var appName: String?
  /// Problems with the inputs (unreadable files, cut lines, regex limits).
  public private(set) var diagnostics: [Diagnostic] = []
  /// Bytes and lines read so far.
  public private(set) var bytesRead = 0
  public private(set) var linesRead = 0

  let matcher: RuleMatcher
  private var findings: [String: Finding] = [:]
  private var sequence = 0
  private var podsSeen: [String] = []
  private var limitReported: Set<String> = []

  /// At most this many hit lines are kept as evidence of one finding (tracebacks aside).
  public static let evidenceSamples = 5

  public init(catalog: RuleCatalog, identity: SourceIdentity = .byPod) {
    self.catalog = catalog
    self.identity = identity
    self.matcher = RuleMatcher(rules: catalog.rules, markers: TracebackAssembler.markers)
  }

  // MARK: Inputs

  /// Reads `source` to its end and analyses it as one input named `name`.
  public func analyze<Source: ByteSource>(_ source: inout Source, name: String) {
    analyze(&source, input: InputDescription(name: name))
  }

  /// Reads `source` to its end as the input `input` describes (its origin, where its line
  /// numbers start, a `--since` cut-off).
  /// - Returns: the number of the last line read.
  @discardableResult
  public func analyze<Source: ByteSource>(_ source: inout Source, input description: InputDescription) -> Int {
    let input = InputState(analysis: self, name: description.name)
    var reader = LineReader(firstLine: description.firstLine)
    defer { reader.deallocate() }
    var decoder = input.makeDecoder()
    decoder.defaults = description.origin
    decoder.since = description.since
    do {
      try reader.read(&source, into: &decoder)
    } catch {
      diagnostics.append(Diagnostic(.warning, at: nil, error.description, file: description.name))
    }
    decoder.finish()
    input.finish(cutLines: decoder.cutLines)
    return reader.lastLineNumber
  }

  /// Starts a live input; feed it chunk by chunk with ``LiveInput/read(from:)``.
  public func startLive(name: String) -> LiveInput { LiveInput(analysis: self, name: name) }

  // MARK: Results

  /// All findings so far, correlated: root causes first in stage order, each followed by the
  /// symptoms it explains.
  public func finish() -> [Finding] {
    var all = Array(findings.values).sorted { $0.sequence < $1.sequence }
    for index in all.indices { render(&all[index]) }
    return Correlator.correlate(all)
  }

  /// The number of distinct findings so far.
  public var findingCount: Int { findings.count }

  // MARK: Recording

  fileprivate func record(
    rule: Rule, captures hitCaptures: [String: String], evidence: [EvidenceLine], origin: LineOrigin,
    notify: Bool
  ) {
    // Rendering (templates, fixes) is the costly part and a repeat would throw it away: a new
    // finding is rendered below, and finish() renders every finding again anyway.
    let fresh = makeFinding(rule: rule, captures: hitCaptures, evidence: evidence, origin: origin, predicted: false, rendered: false)
    if let pod = fresh.source.pod ?? fresh.captures["pod"] {
      podsSeen.removeAll { $0 == pod }
      podsSeen.append(pod)
    }
    if var existing = findings[fresh.fingerprint] {
      existing.count += 1
      existing.lastLine = max(existing.lastLine, fresh.lastLine)
      // A capture the first hit lacked comes from the first later hit that has it (one pip
      // failure names the package on one line and the missing compiler on another).
      existing.captures.merge(fresh.captures) { first, _ in first }
      if rule.context == .line, existing.evidence.count < Self.evidenceSamples,
        let line = evidence.first, !existing.evidence.contains(line)
      {
        existing.evidence.append(line)
      }
      findings[fresh.fingerprint] = existing
      return
    }
    sequence += 1
    var finding = fresh
    render(&finding)
    finding.sequence = sequence
    findings[finding.fingerprint] = finding
    if notify { onNewFinding?(finding) }
  }

  /// Adds `count` repeats, the last at `lastLine`, to a recorded finding.
  fileprivate func addRepeats(fingerprint: String, count: Int, lastLine: Int) {
    guard count > 0, var existing = findings[fingerprint] else { return }
    existing.count += count
    existing.lastLine = max(existing.lastLine, lastLine)
    findings[fingerprint] = existing
  }

  /// A rendered finding for one hit, not recorded.
  public func makeFinding(rule: Rule, captures: [String: String], evidence: [EvidenceLine], file: String, predicted: Bool) -> Finding {
    makeFinding(rule: rule, captures: captures, evidence: evidence, origin: LineOrigin(file: file), predicted: predicted)
  }

  func makeFinding(
    rule: Rule, captures hitCaptures: [String: String], evidence: [EvidenceLine], origin: LineOrigin, predicted: Bool,
    rendered: Bool = true
  ) -> Finding {
    var captures = hitCaptures
    if let lookup = rule.lookup, let key = captures[lookup.key] {
      captures.merge(catalog.lookupCaptures(lookup, key: key)) { old, _ in old }
    }
    let source = FindingSource(origin)
    let keyNames = rule.fingerprint ?? rule.captureNames.sorted()
    var parts = [rule.id]
    for name in keyNames.sorted() { parts.append("\(name)=\(captures[name] ?? "")") }
    parts.append(identityKey(source))
    let firstLine = evidence.first?.line ?? 0
    var finding = Finding(
      rule: rule, source: source, firstLine: firstLine, lastLine: evidence.last?.line ?? firstLine, count: 1,
      captures: captures, evidence: evidence, fingerprint: StableHash.hex(parts), message: "", explanation: "",
      fixes: [], sequence: 0)
    finding.predicted = predicted
    if rendered { render(&finding) }
    return finding
  }

  private func identityKey(_ source: FindingSource) -> String {
    var key = [source.namespace ?? "", source.deploymentName ?? "", source.container ?? ""].joined(separator: "/")
    if identity == .byFile, source.pod == nil, source.namespace == nil { key += "@" + source.file }
    return key
  }

  /// Fills the message, explanation and fixes from the rule's templates.
  func render(_ finding: inout Finding) {
    let captures = finding.captures
    let source = finding.source
    // The finding's own pod; else the last pod the input named (the latest deployment).
    let pod = source.pod ?? captures["pod"] ?? podsSeen.last
    let appName = self.appName
    let treeValue = self.treeValue
    let catalog = self.catalog
    func value(_ name: String) -> String? {
      if let value = captures[name] { return value }
      switch name {
      case "source.pod": return pod
      case "source.container": return source.container
      case "source.namespace": return source.namespace
      case "source.file": return source.file
      case "source.dc": return pod.map(FindingSource.owner(ofPod:)) ?? appName ?? captures["build"].map(FindingSource.owner(ofBuild:))
      default: break
      }
      if name.hasPrefix("tree.") { return treeValue(name) }
      if name.hasPrefix("snippet.") {
        // A snippet may itself use ${…} names (${tree.manage_py}); fill them the same way.
        return catalog.snippet(String(name.dropFirst(8))).map { Template($0).render(value) }
      }
      return nil
    }
    finding.message = finding.rule.message.render(value)
    finding.explanation = finding.rule.explanation.render(value)
    finding.fixes = finding.rule.fixes.compactMap { fix in
      if let when = fix.when, (value(when) ?? "").isEmpty { return nil }
      return fix.action.resolved(value)
    }
  }

  fileprivate func addDiagnostic(_ diagnostic: Diagnostic) { diagnostics.append(diagnostic) }

  /// Records a problem with an input that could not be read at all.
  public func addInputDiagnostic(_ diagnostic: Diagnostic) { diagnostics.append(diagnostic) }

  fileprivate func reportLimit(rule: Rule, file: String, line: Int) {
    let key = "\(rule.id)@\(file)"
    guard limitReported.insert(key).inserted else { return }
    diagnostics.append(
      Diagnostic(
        .warning, at: SourceLocation(file: file, line: line, column: 1),
        "rule '\(rule.id)' hit PCRE2's match limit on this line and was skipped there; simplify its regex"))
  }

  fileprivate func count(bytes: Int, lines: Int) {
    bytesRead += bytes
    linesRead += lines
  }
}

/// The V2 starter layout, used for `${tree.*}` when no source tree is given.
public enum SourceTreeDefaults {
  public static let values: [String: String] = [
    "tree.settings": "wsgi/myproject/myproject/settings.py",
    "tree.manage_py": "wsgi/myproject/manage.py",
    "tree.wsgi_entry": "wsgi/application",
    "tree.urls": "wsgi/myproject/myproject/urls.py",
    "tree.requirements": "requirements.txt",
    "tree.repo_dir": "/opt/app-root/src",
  ]

  public static func value(for name: String) -> String? { values[name] }
}

/// One input of an analysis: its name, what its path says about its lines, where its line
/// numbers start (a scan that resumes a file) and a `--since` cut-off.
public struct InputDescription: Sendable {
  public var name: String
  public var origin: LineOrigin
  public var firstLine: Int
  public var since: Double?

  public init(name: String, origin: LineOrigin? = nil, firstLine: Int = 1, since: Double? = nil) {
    self.name = name
    self.origin = origin ?? LineOrigin(file: name)
    self.firstLine = firstLine
    self.since = since
  }
}

/// A live input (standard input for `watch`): read chunk by chunk, with idle flushes.
public final class LiveInput {
  let input: InputState
  private var reader = LineReader()
  private var decoder: LogDecoder
  public private(set) var ended = false

  init(analysis: Analysis, name: String) {
    input = InputState(analysis: analysis, name: name)
    decoder = input.makeDecoder()
  }

  deinit { reader.deallocate() }

  /// Reads what `source` has now (one `read(2)`); returns false at the end of input.
  public func read<Source: ByteSource>(from source: inout Source) -> Bool {
    guard !ended else { return false }
    do {
      if try reader.readChunk(&source, into: &decoder) { return true }
    } catch {
      input.analysis.addDiagnostic(Diagnostic(.warning, at: nil, error.description, file: input.name))
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

/// The state of one input while it is read: open tracebacks, hits waiting for them, and
/// deferred findings.
final class InputState {
  let analysis: Analysis
  let name: String
  /// Open tracebacks only, by origin.
  private var tracebacks: [LineOrigin: TracebackAssembler] = [:]
  private var markedLines: [Int] = []
  private var waiting: [LineOrigin: [(rule: Int, signature: Int, captures: [String: String], line: EvidenceLine)]] = [:]
  private var unlessSeen: Set<Int> = []
  private var deferred: [(rule: Rule, captures: [String: String], evidence: [EvidenceLine], origin: LineOrigin)] = []
  /// What the deferred hits of one fingerprint add up to, so that a repeat that would only
  /// count (no new capture, no new evidence sample, no pod) is a counter instead of another
  /// entry in `deferred`: memory stays flat however often a deferred rule fires.
  private struct DeferredGroup {
    var rule: String
    var captureNames: Set<String> = []
    var samples: Set<EvidenceLine> = []
    var repeats = 0
    var lastLine = 0
  }
  private var deferredGroups: [String: DeferredGroup] = [:]

  init(analysis: Analysis, name: String) {
    self.analysis = analysis
    self.name = name
  }

  func makeDecoder() -> LogDecoder {
    LogDecoder(file: name) { [unowned self] batch in self.process(batch) }
  }

  func process(_ batch: LineBatch) {
    analysis.count(bytes: batch.bytes.count, lines: batch.count)
    let rules = analysis.matcher.rules
    let hits = analysis.matcher.hits(in: batch, markedLines: &markedLines) { line, rule in
      self.analysis.reportLimit(rule: rules[rule], file: self.name, line: batch.numbers[line])
    }
    var hitIndex = 0
    var markIndex = 0
    for line in 0..<batch.count {
      let hasHits = hitIndex < hits.count && hits[hitIndex].line == line
      let marked = markIndex < markedLines.count && markedLines[markIndex] == line
      if marked { markIndex += 1 }
      // Most lines have no hit, open no traceback and continue none: skip them cheaply.
      guard hasHits || marked || !tracebacks.isEmpty else { continue }
      let origin = batch.origin(at: line)
      guard hasHits || marked || tracebacks[origin] != nil else { continue }
      let number = batch.numbers[line]
      let text = batch.text(at: line)
      // The traceback state sees every line near a traceback; a line that closes one
      // releases the hits that were waiting for it.
      var assembler = tracebacks.removeValue(forKey: origin) ?? TracebackAssembler()
      let closed = assembler.feed(text, number: number)
      if assembler.isOpen { tracebacks[origin] = assembler }
      if let closed { release(closed, origin: origin) }

      var rulesHitHere: Set<Int> = []
      while hitIndex < hits.count, hits[hitIndex].line == line {
        let hit = hits[hitIndex]
        hitIndex += 1
        switch hit.role {
        case .unless(let rule):
          unlessSeen.insert(rule)
        case .match(let ruleIndex, let signatureIndex):
          guard rulesHitHere.insert(ruleIndex).inserted else { continue }
          let rule = rules[ruleIndex]
          let evidence = EvidenceLine(line: number, text: text)
          if rule.context == .pythonTraceback, assembler.isOpen {
            waiting[origin, default: []].append((ruleIndex, signatureIndex, hit.captures, evidence))
          } else if rule.signatures[signatureIndex].within.map({ matches($0, text) }) ?? true {
            emit(rule, captures: hit.captures, evidence: [evidence], origin: origin)
          }
        }
      }
    }
  }

  /// A traceback closed: the hits inside it become findings with it as evidence.
  private func release(_ event: TracebackAssembler.Event, origin: LineOrigin) {
    guard let pending = waiting.removeValue(forKey: origin) else { return }
    let rules = analysis.matcher.rules
    let text = event.lines.map(\.text).joined(separator: "\n")
    for hit in pending {
      let rule = rules[hit.rule]
      if let within = rule.signatures[hit.signature].within, !matches(within, text) { continue }
      var captures = hit.captures
      if let file = event.lastFrameFile { captures["frame_file"] = file }
      // Evidence ends at the hit line: lines after it belong to a chained exception.
      let evidence = event.lines.filter { $0.line <= hit.line.line }
      emit(rule, captures: captures, evidence: evidence.isEmpty ? [hit.line] : evidence, origin: origin)
    }
  }

  private func matches(_ regex: Regex, _ text: String) -> Bool {
    if case .match = RegexMatcher().match(regex, in: text) { return true }
    return false
  }

  private func emit(_ rule: Rule, captures: [String: String], evidence: [EvidenceLine], origin: LineOrigin) {
    if rule.isDeferred {
      // Recording a repeat (Analysis.record) adds 1 to the count, moves lastLine, fills
      // captures the finding lacks, adds an evidence sample while it has fewer than
      // Analysis.evidenceSamples, and moves its pod to the end of podsSeen. When only the
      // first two apply, they commute with every other record: keep a counter.
      let probe = analysis.makeFinding(rule: rule, captures: captures, evidence: evidence, origin: origin, predicted: false, rendered: false)
      var group = deferredGroups[probe.fingerprint] ?? DeferredGroup(rule: rule.id)
      let known = deferredGroups[probe.fingerprint] != nil
      let countsOnly =
        known && probe.source.pod == nil && probe.captures["pod"] == nil
        && probe.captures.keys.allSatisfy(group.captureNames.contains)
        && (rule.context != .line || group.samples.count >= Analysis.evidenceSamples)
      if countsOnly {
        group.repeats += 1
        group.lastLine = max(group.lastLine, probe.lastLine)
      } else {
        deferred.append((rule, captures, evidence, origin))
        group.captureNames.formUnion(probe.captures.keys)
        if rule.context == .line, let first = evidence.first { group.samples.insert(first) }
      }
      deferredGroups[probe.fingerprint] = group
    } else {
      analysis.record(rule: rule, captures: captures, evidence: evidence, origin: origin, notify: true)
    }
  }

  /// Closes every open traceback.
  func flushEvents() {
    for origin in Array(tracebacks.keys) {
      if var assembler = tracebacks.removeValue(forKey: origin), let closed = assembler.flush() {
        release(closed, origin: origin)
      }
    }
  }

  func finish(cutLines: [Int]) {
    flushEvents()
    let rules = analysis.matcher.rules
    for item in deferred {
      guard let index = rules.firstIndex(where: { $0.id == item.rule.id }), !unlessSeen.contains(index) else { continue }
      analysis.record(rule: item.rule, captures: item.captures, evidence: item.evidence, origin: item.origin, notify: true)
    }
    deferred = []
    for (fingerprint, group) in deferredGroups where group.repeats > 0 {
      guard let index = rules.firstIndex(where: { $0.id == group.rule }), !unlessSeen.contains(index) else { continue }
      analysis.addRepeats(fingerprint: fingerprint, count: group.repeats, lastLine: group.lastLine)
    }
    deferredGroups = [:]
    if let first = cutLines.first {
      let more = cutLines.count > 1 ? " (and \(cutLines.count - 1) more lines)" : ""
      analysis.addDiagnostic(
        Diagnostic(
          .warning, at: SourceLocation(file: name, line: first, column: 1),
          "line longer than 1 MiB; only its first 1 MiB was analysed\(more)"))
    }
  }
}
