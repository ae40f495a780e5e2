import Foundation
import LogrxIngest
import LogrxMatching
import LogrxRules
import LogrxVocabulary

/// Assembles the events of one input while it is read: matches each batch of lines, keeps
/// open tracebacks and the hits waiting for them, holds back the findings of rules with an
/// `unless` until the input ends, and pushes every hit, with its evidence, to the
/// ``Deduplicator``.
final class EventAssembler {
  let analysis: Analysis
  let name: String
  private let matcher: RuleMatcher
  private let deduplicator: Deduplicator
  /// Open tracebacks only, by origin.
  private var tracebacks: [Origin: TracebackAssembler] = [:]
  private var waiting: [Origin: [(rule: Int, signature: Int, captures: [String: String], line: EvidenceLine)]] = [:]
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
    let batch = matched.batch
    analysis.count(bytes: batch.bytes.count, lines: batch.count)
    let rules = matcher.rules
    for limit in matched.limits {
      analysis.reportLimit(rule: rules[limit.rule], file: name, line: batch.numbers[limit.line])
    }
    let contextHits = matched.contextHits
    let hits = matched.hits
    let markedLines = matched.markedLines
    // The contexts seen (a set and a last line by file: the order of the notes does not
    // matter, and nothing reads them before the batch's lines below).
    for note in matched.contextLast {
      analysis.noteContext(note.context, file: note.file, line: batch.numbers[note.line])
    }
    for (index, hit) in contextHits.enumerated() {
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
        noteException(closed, origin: origin)
        release(closed, origin: origin)
      }

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
          if rule.signatures[signatureIndex].contributesOnly {
            contributed[ruleIndex] = hit.captures
            continue
          }
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

  /// A traceback's final exception line is a failure signal (for `unclassified`).
  private func noteException(_ event: TracebackAssembler.Event, origin: Origin) {
    // The last line with words that is neither a frame nor a header (Python 3.11 ends a frame
    // with a line of carets; an HTML page's copy may end the event with them).
    let exception = event.lines.last { line in
      let content = TracebackAssembler.contentAfterLogPrefix(line.text).trimmingCharacters(in: .whitespaces)
      return content.contains(where: \.isLetter) && !content.hasPrefix("File \"") && !content.hasPrefix("Traceback (")
    }
    guard let exception else { return }
    analysis.noteSignal("traceback", line: exception, origin: origin)
  }

  /// A traceback closed: the hits inside it become findings with it as evidence.
  private func release(_ event: TracebackAssembler.Event, origin: Origin) {
    guard let pending = waiting.removeValue(forKey: origin) else { return }
    let rules = matcher.rules
    let text = event.lines.map(\.text).joined(separator: "\n")
    for hit in pending {
      let rule = rules[hit.rule]
      if let within = rule.signatures[hit.signature].within, !matches(within, text) { continue }
      var captures = hit.captures
      if let file = event.lastFrameFile { captures["frame_file"] = file }
      if let file = event.lastAppFrameFile { captures["app_frame_file"] = file }
      // Evidence ends at the hit line: lines after it belong to a chained exception.
      let evidence = event.lines.filter { $0.line <= hit.line.line }
      emit(rule, captures: captures, evidence: evidence.isEmpty ? [hit.line] : evidence, origin: origin)
    }
  }

  private func matches(_ regex: Regex, _ text: String) -> Bool {
    if case .match = RegexMatcher().match(regex, in: text) { return true }
    return false
  }

  private func emit(_ rule: Rule, captures hitCaptures: [String: String], evidence: [EvidenceLine], origin: Origin) {
    var captures = hitCaptures
    if !contributed.isEmpty, let index = matcher.rules.firstIndex(where: { $0.id == rule.id }), let extra = contributed[index] {
      captures.merge(extra) { own, _ in own }
    }
    if rule.isDeferred {
      // Recording a repeat (Deduplicator.record) adds 1 to the count, moves lastLine, fills
      // captures the finding lacks, adds an evidence sample while it has fewer than
      // Deduplicator.evidenceSamples, and moves its pod to the end of podsSeen. When only the
      // first two apply, they commute with every other record: keep a counter.
      let probe = deduplicator.makeFinding(rule: rule, captures: captures, evidence: evidence, origin: origin)
      var group = deferredGroups[probe.fingerprint] ?? DeferredGroup(rule: rule.id)
      let known = deferredGroups[probe.fingerprint] != nil
      let countsOnly =
        known && probe.source.pod == nil && probe.captures["pod"] == nil
        && probe.captures.keys.allSatisfy(group.captureNames.contains)
        && (rule.context != .line || group.samples.count >= Deduplicator.evidenceSamples)
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
      deduplicator.record(rule: rule, captures: captures, evidence: evidence, origin: origin)
    }
  }

  /// Closes every open traceback.
  func flushEvents() {
    for origin in Array(tracebacks.keys) {
      if var assembler = tracebacks.removeValue(forKey: origin), let closed = assembler.flush() {
        noteException(closed, origin: origin)
        release(closed, origin: origin)
      }
    }
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
