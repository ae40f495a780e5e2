import Foundation
import LogrxIngest
import LogrxMatching
import LogrxRules
import LogrxVocabulary

/// What the line phase of a batch does to the analysis, in the order it does it: worked out
/// by a ``TracebackStage`` (on the thread that matched the batch, when it may be), applied by
/// the input's ``EventAssembler`` on the scanning thread.
enum EventAction {
  /// A traceback's final exception line: a failure signal (for `unclassified`).
  case signal(EvidenceLine, Origin, Analysis.PreparedSignal?)
  /// A hit of a rule's `unless` signature.
  case unless(Int)
  /// A `contributes` hit: the captures of the rule's last one.
  case contribute(Int, [String: String])
  /// A hit becomes a finding (rule index, the hit's own captures, evidence, origin); `prepared`:
  /// its fingerprint and captures (``FindingMaker/prepare(rule:captures:origin:)``) when worked
  /// out already. Line numbers are those of the batch's part (``MatchedBatch/actionsDelta``).
  case emit(rule: Int, captures: [String: String], evidence: [EvidenceLine], origin: Origin, prepared: PreparedFinding?)
}

/// The traceback state of one input (open tracebacks by origin, and the hits waiting for them)
/// and the line phase of the event assembly: a batch's lines in, ``EventAction``s out. A pure
/// function of the state it starts from and the lines, so the thread that matched a part of a
/// file can run it from an empty state; the scanning thread uses its actions when the real
/// state at the part's start is empty too for the origins of the part's lines (see
/// `PartPipeline`), else runs it again itself.
struct TracebackStage {
  struct Waiting {
    var rule: Int
    var signature: Int
    var captures: [String: String]
    var line: EvidenceLine
  }
  /// Open tracebacks only, by origin.
  private(set) var tracebacks: [Origin: TracebackAssembler] = [:]
  private(set) var waiting: [Origin: [Waiting]] = [:]
  /// Works out each emitted hit's fingerprint (``EventAction/emit(rule:captures:evidence:origin:prepared:)``)
  /// and each exception line's ``Analysis/PreparedSignal`` here: on a thread other than the
  /// scanning one.
  var maker: FindingMaker?

  init(maker: FindingMaker? = nil) { self.maker = maker }

  /// Whether nothing is open or waiting: what a part read from an empty state assumed.
  var isEmpty: Bool { tracebacks.isEmpty && waiting.isEmpty }

  /// Whether nothing is open or waiting for any of `origins`: what a part whose lines all come
  /// from them, read from an empty state, assumed (the state of one origin never reads another's).
  func isEmpty(for origins: [Origin]) -> Bool {
    if isEmpty { return true }
    return origins.allSatisfy { tracebacks[$0] == nil && waiting[$0] == nil }
  }

  /// Adds the state of `other`, which holds only origins this one holds nothing for (a part's
  /// state at its end, read from an empty one, after ``isEmpty(for:)`` of its origins).
  mutating func merge(_ other: TracebackStage) {
    if isEmpty {
      tracebacks = other.tracebacks
      waiting = other.waiting
      return
    }
    for (origin, assembler) in other.tracebacks { tracebacks[origin] = assembler }
    for (origin, items) in other.waiting { waiting[origin] = items }
  }

  /// Moves the line numbers held by `delta`.
  mutating func renumber(by delta: Int) {
    guard delta != 0 else { return }
    for origin in Array(tracebacks.keys) { tracebacks[origin]!.renumber(by: delta) }
    for origin in Array(waiting.keys) {
      waiting[origin] = waiting[origin]!.map { item in
        var moved = item
        moved.line.line += delta
        return moved
      }
    }
  }

  /// The line phase of `matched`: every line near a traceback feeds the traceback state, every
  /// hit becomes an action (or waits for the traceback it is in).
  mutating func run(_ matched: MatchedBatch, rules: [Rule], into actions: inout [EventAction]) {
    let batch = matched.batch
    let hits = matched.hits
    let markedLines = matched.markedLines
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
      if let closed {
        noteException(closed, origin: origin, into: &actions)
        release(closed, origin: origin, rules: rules, into: &actions)
      }

      var rulesHitHere: Set<Int> = []
      while hitIndex < hits.count, hits[hitIndex].line == line {
        let hit = hits[hitIndex]
        hitIndex += 1
        switch hit.role {
        case .unless(let rule):
          actions.append(.unless(rule))
        case .match(let ruleIndex, let signatureIndex):
          // One finding per rule and line. A signature whose `within` does not hold gives way
          // to the rule's next signature that hit the same line (two signatures of one rule
          // often share the line's regex, one with frames to check and one without).
          guard !rulesHitHere.contains(ruleIndex) else { continue }
          let rule = rules[ruleIndex]
          if rule.signatures[signatureIndex].contributesOnly {
            rulesHitHere.insert(ruleIndex)
            actions.append(.contribute(ruleIndex, hit.captures))
            continue
          }
          let evidence = EvidenceLine(line: number, text: text)
          if rule.context == .pythonTraceback, assembler.isOpen {
            // Every signature that hit waits; `release` keeps the first whose `within` holds.
            waiting[origin, default: []].append(Waiting(rule: ruleIndex, signature: signatureIndex, captures: hit.captures, line: evidence))
          } else if rule.signatures[signatureIndex].within.map({ Self.matches($0, text) }) ?? true {
            rulesHitHere.insert(ruleIndex)
            emit(ruleIndex, rule: rule, captures: hit.captures, evidence: [evidence], origin: origin, into: &actions)
          }
        }
      }
    }
  }

  /// Closes every open traceback, the one opened first first (not in the dictionary's order,
  /// which is not the same for two dictionaries holding the same tracebacks).
  mutating func flush(rules: [Rule], into actions: inout [EventAction]) {
    let origins = tracebacks.sorted { $0.value.firstLine < $1.value.firstLine }.map(\.key)
    for origin in origins {
      if var assembler = tracebacks.removeValue(forKey: origin), let closed = assembler.flush() {
        noteException(closed, origin: origin, into: &actions)
        release(closed, origin: origin, rules: rules, into: &actions)
      }
    }
  }

  private func emit(
    _ index: Int, rule: Rule, captures: [String: String], evidence: [EvidenceLine], origin: Origin, into actions: inout [EventAction]
  ) {
    let prepared = maker?.prepare(rule: rule, captures: captures, origin: origin)
    actions.append(.emit(rule: index, captures: captures, evidence: evidence, origin: origin, prepared: prepared))
  }

  /// A traceback's final exception line is a failure signal (for `unclassified`).
  private func noteException(_ event: TracebackAssembler.Event, origin: Origin, into actions: inout [EventAction]) {
    // The last line with words that is neither a frame nor a header (Python 3.11 ends a frame
    // with a line of carets; an HTML page's copy may end the event with them).
    let exception = event.lines.last { line in
      let content = TracebackAssembler.contentAfterLogPrefix(line.text).trimmingCharacters(in: .whitespaces)
      return content.contains(where: \.isLetter) && !content.hasPrefix("File \"") && !content.hasPrefix("Traceback (")
    }
    guard let exception else { return }
    actions.append(.signal(exception, origin, maker != nil ? Analysis.PreparedSignal(text: exception.text) : nil))
  }

  /// A traceback closed: the hits inside it become findings with it as evidence.
  private mutating func release(_ event: TracebackAssembler.Event, origin: Origin, rules: [Rule], into actions: inout [EventAction]) {
    guard let pending = waiting.removeValue(forKey: origin) else { return }
    let text = event.lines.map(\.text).joined(separator: "\n")
    // The signatures of one rule that hit one line: the first whose `within` holds counts.
    var released: Set<RuleLine> = []
    for hit in pending where !released.contains(RuleLine(rule: hit.rule, line: hit.line.line)) {
      let rule = rules[hit.rule]
      if let within = rule.signatures[hit.signature].within, !Self.matches(within, text) { continue }
      released.insert(RuleLine(rule: hit.rule, line: hit.line.line))
      var captures = hit.captures
      if let file = event.lastFrameFile { captures["frame_file"] = file }
      if let file = event.lastAppFrameFile { captures["app_frame_file"] = file }
      // Evidence ends at the hit line: lines after it belong to a chained exception.
      let evidence = event.lines.filter { $0.line <= hit.line.line }
      emit(hit.rule, rule: rule, captures: captures, evidence: evidence.isEmpty ? [hit.line] : evidence, origin: origin, into: &actions)
    }
  }

  private struct RuleLine: Hashable {
    let rule: Int
    let line: Int
  }

  static func matches(_ regex: Regex, _ text: String) -> Bool {
    if case .match = RegexMatcher().match(regex, in: text) { return true }
    return false
  }
}

/// Assembles the events of one input while it is read: matches each batch of lines, keeps
/// open tracebacks and the hits waiting for them (its ``TracebackStage``), holds back the
/// findings of rules with an `unless` until the input ends, and pushes every hit, with its
/// evidence, to the ``Deduplicator``.
final class EventAssembler {
  let analysis: Analysis
  let name: String
  private let matcher: RuleMatcher
  private let deduplicator: Deduplicator
  /// The real traceback state of the input (whatever thread worked out the actions).
  private var stage = TracebackStage()
  /// Whether the actions worked out for the part being assembled are the real ones.
  private var partActionsHold = false
  private var actions: [EventAction] = []
  private var unlessSeen: Set<Int> = []
  /// The captures of each rule's last `contributes` hit, by rule index.
  private var contributed: [Int: [String: String]] = [:]
  private var deferred: [(rule: Rule, captures: [String: String], evidence: [EvidenceLine], origin: Origin)] = []
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
    self.matcher = analysis.matcher
    self.deduplicator = analysis.deduplicator
  }

  func makeDecoder() -> LogDecoder {
    LogDecoder(file: name) { [unowned self] batch in self.process(batch) }
  }

  func process(_ batch: LineBatch) {
    assemble(MatchedBatch(batch, matcher: matcher))
  }

  /// Assembles the events of a batch matched already (on this thread, or on another one for a
  /// part of a file: see `PartPipeline`).
  func assemble(_ matched: MatchedBatch) {
    assemble(CollectionOfOne(matched))
  }

  /// Assembles batches that a single reader would have read as one (the file block a part
  /// boundary falls in, read at the end of one part and the start of the next): the contexts of
  /// all of them first, then their lines in order.
  func assemble<Batches: Collection<MatchedBatch>>(_ pieces: Batches) {
    for matched in pieces { notePerBatch(matched) }
    let rules = matcher.rules
    for matched in pieces {
      if matched.firstOfPart {
        // A part's actions, worked out from an empty traceback state, hold when the real state
        // is empty where the part starts for every origin of the part's lines (a traceback left
        // open by a pod that writes no more, say, changes nothing in them); else its lines are
        // run again here.
        partActionsHold = matched.actions != nil && stage.isEmpty(for: matched.partOrigins)
        if matched.actions != nil, !partActionsHold { analysis.partsAssembledAgain += 1 }
      }
      if partActionsHold, let ready = matched.actions {
        apply(ready, delta: matched.actionsDelta)
        if let end = matched.endStage { stage.merge(end) }
      } else {
        stage.run(matched, rules: rules, into: &actions)
        apply(actions)
        actions.removeAll(keepingCapacity: true)
      }
    }
  }

  /// What a batch says besides its lines' events: counts, regex limits, the contexts and
  /// failure signals seen.
  private func notePerBatch(_ matched: MatchedBatch) {
    let batch = matched.batch
    analysis.count(bytes: batch.bytes.count, lines: batch.count)
    let rules = matcher.rules
    for limit in matched.limits {
      analysis.reportLimit(rule: rules[limit.rule], file: name, line: batch.numbers[limit.line])
    }
    // The contexts seen (a set and a last line by file: the order of the notes does not
    // matter, and nothing reads them before the batch's lines).
    for note in matched.contextLast {
      analysis.noteContext(note.context, file: note.file, line: batch.numbers[note.line])
    }
    for (index, hit) in matched.contextHits.enumerated() {
      if hit.context.hasPrefix("signal:") {
        let line = EvidenceLine(line: batch.numbers[hit.line], text: batch.text(at: hit.line))
        analysis.noteSignal(
          String(hit.context.dropFirst(7)), line: line, origin: batch.origin(at: hit.line), prepared: matched.preparedSignals[index])
      } else if hit.context == "openshift" {
        analysis.noteDeploymentConfig(in: batch.text(at: hit.line), file: batch.origin(at: hit.line).file)
      } else if hit.context == "s2i-manage-py-hint" {
        analysis.noteAppPath(in: batch.text(at: hit.line))
      }
    }
  }

  /// Applies a line phase's actions, in order, their line numbers moved by `delta`.
  private func apply(_ list: [EventAction], delta: Int = 0) {
    let rules = matcher.rules
    for index in list.indices {
      switch list[index] {
      case .signal(let line, let origin, let prepared):
        let moved = delta == 0 ? line : EvidenceLine(line: line.line + delta, text: line.text)
        analysis.noteSignal("traceback", line: moved, origin: origin, prepared: prepared)
      case .unless(let rule):
        unlessSeen.insert(rule)
      case .contribute(let rule, let captures):
        contributed[rule] = captures
      case .emit(let rule, let captures, let evidence, let origin, let prepared):
        let moved = delta == 0 ? evidence : evidence.map { EvidenceLine(line: $0.line + delta, text: $0.text) }
        emit(rules[rule], captures: captures, evidence: moved, origin: origin, prepared: prepared)
      }
    }
  }

  private func emit(
    _ rule: Rule, captures hitCaptures: [String: String], evidence: [EvidenceLine], origin: Origin, prepared made: PreparedFinding?
  ) {
    var captures = hitCaptures
    var prepared = made
    if !contributed.isEmpty, let index = matcher.rules.firstIndex(where: { $0.id == rule.id }), let extra = contributed[index] {
      captures.merge(extra) { own, _ in own }
      if captures.count != hitCaptures.count { prepared = nil }
    }
    let ready = prepared ?? deduplicator.maker.prepare(rule: rule, captures: captures, origin: origin)
    if rule.isDeferred {
      // Recording a repeat (Deduplicator.record) adds 1 to the count, moves lastLine, fills
      // captures the finding lacks, adds an evidence sample while it has fewer than
      // Deduplicator.evidenceSamples, and moves its pod to the end of podsSeen. When only the
      // first two apply, they commute with every other record: keep a counter.
      var group = deferredGroups[ready.fingerprint] ?? DeferredGroup(rule: rule.id)
      let known = deferredGroups[ready.fingerprint] != nil
      let countsOnly =
        known && origin.pod == nil && ready.captures["pod"] == nil
        && ready.captures.keys.allSatisfy(group.captureNames.contains)
        && (rule.context != .line || group.samples.count >= Deduplicator.evidenceSamples)
      if countsOnly {
        group.repeats += 1
        group.lastLine = max(group.lastLine, evidence.last?.line ?? 0)
      } else {
        deferred.append((rule, captures, evidence, origin))
        group.captureNames.formUnion(ready.captures.keys)
        if rule.context == .line, let first = evidence.first { group.samples.insert(first) }
      }
      deferredGroups[ready.fingerprint] = group
    } else {
      deduplicator.record(rule: rule, prepared: ready, evidence: evidence, origin: origin)
    }
  }

  /// Closes every open traceback.
  func flushEvents() {
    stage.flush(rules: matcher.rules, into: &actions)
    apply(actions)
    actions.removeAll(keepingCapacity: true)
  }

  func finish(cutLines: [Int]) {
    flushEvents()
    let rules = matcher.rules
    for item in deferred {
      guard let index = rules.firstIndex(where: { $0.id == item.rule.id }), !unlessSeen.contains(index) else { continue }
      deduplicator.record(rule: item.rule, captures: item.captures, evidence: item.evidence, origin: item.origin)
    }
    deferred = []
    for (fingerprint, group) in deferredGroups where group.repeats > 0 {
      guard let index = rules.firstIndex(where: { $0.id == group.rule }), !unlessSeen.contains(index) else { continue }
      deduplicator.addRepeats(fingerprint: fingerprint, count: group.repeats, lastLine: group.lastLine)
    }
    deferredGroups = [:]
    if let first = cutLines.first {
      let more = cutLines.count > 1 ? " (and \(cutLines.count - 1) more lines)" : ""
      analysis.addInputDiagnostic(
        Diagnostic(
          .warning, at: SourceLocation(file: name, line: first, column: 1),
          "line longer than 1 MiB; only its first 1 MiB was analysed\(more)"))
    }
  }
}
