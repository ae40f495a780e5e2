import LogrxRules
import LogrxVocabulary

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

/// Receives each finding the first time it is seen, unrendered (message, explanation and
/// fixes are filled in by Recommend's renderer), and says whether the search should go on.
public protocol FindingSink: AnyObject {
  /// - Returns: false to stop reading (`--max-findings`, a closed pipe).
  func accept(_ finding: Finding) -> Bool
}

/// Turns hits into findings and folds repeats: one finding per fingerprint (rule, its
/// fingerprint captures, and the source's identity), counting every hit.
///
/// New findings are pushed to the sink as they are first seen; repeats only add to their
/// count, last line, missing captures and evidence samples.
public final class Deduplicator {
  public let catalog: RuleCatalog
  public internal(set) var identity: SourceIdentity
  /// Receives each new finding.
  public weak var sink: (any FindingSink)?
  /// Weighs a new finding as it is handed to the sink, on what the input showed so far (a
  /// rule's `assumes:`: its context may come later): returns nil to hold it back. The finding
  /// kept here is the unweighed one; the final weighing is done on all of them at the end.
  var weighLive: ((Finding) -> Finding?)?
  /// Set once the sink asked to stop.
  public private(set) var stopped = false
  /// Pods named by the inputs, the most recent last (only the last few dozen are kept).
  public private(set) var podsSeen: [String] = []

  private var findings: [String: Finding] = [:]
  private var sequence = 0

  /// At most this many hit lines are kept as evidence of one finding (tracebacks aside).
  public static let evidenceSamples = 5

  public init(catalog: RuleCatalog, identity: SourceIdentity) {
    self.catalog = catalog
    self.identity = identity
  }

  /// The number of distinct findings so far.
  public var count: Int { findings.count }

  /// The findings so far, in the order first seen.
  public var all: [Finding] { findings.values.sorted { $0.sequence < $1.sequence } }

  /// A finding for one hit, not recorded: the rule's lookup applied to the captures, and the
  /// fingerprint computed; message, explanation and fixes are left empty.
  public func makeFinding(
    rule: Rule, captures hitCaptures: [String: String], evidence: [EvidenceLine], origin: Origin, predicted: Bool = false
  ) -> Finding {
    maker.makeFinding(rule: rule, captures: hitCaptures, evidence: evidence, origin: origin, predicted: predicted)
  }

  /// Makes findings as this deduplicator does, on any thread.
  var maker: FindingMaker { FindingMaker(catalog: catalog, identity: identity) }

  /// Records one hit: a new finding goes to the sink, a repeat folds into its finding.
  func record(rule: Rule, captures: [String: String], evidence: [EvidenceLine], origin: Origin) {
    record(rule: rule, prepared: maker.prepare(rule: rule, captures: captures, origin: origin), evidence: evidence, origin: origin)
  }

  /// Records one hit whose fingerprint and captures ``FindingMaker/prepare(rule:captures:origin:)``
  /// worked out (on any thread); the finding is made only when it is new.
  func record(rule: Rule, prepared: PreparedFinding, evidence: [EvidenceLine], origin: Origin) {
    if let pod = origin.pod ?? prepared.captures["pod"] {
      // Only the last one is asked for: a hit per line must not cost a walk over every pod.
      if podsSeen.last != pod {
        if podsSeen.count > 64 { podsSeen.removeFirst(podsSeen.count - 32) }
        podsSeen.removeAll { $0 == pod }
        podsSeen.append(pod)
      }
    }
    if let index = findings.index(forKey: prepared.fingerprint) {
      // A repeat, changed in place (no copy of the finding's captures or evidence).
      findings.values[index].count += 1
      findings.values[index].lastLine = max(findings.values[index].lastLine, evidence.last?.line ?? 0)
      // A capture the first hit lacked comes from the first later hit that has it (one pip
      // failure names the package on one line and the missing compiler on another).
      if prepared.captures.keys.contains(where: { findings.values[index].captures[$0] == nil }) {
        findings.values[index].captures.merge(prepared.captures) { first, _ in first }
      }
      if rule.context == .line, findings.values[index].evidence.count < Self.evidenceSamples,
        let line = evidence.first, !findings.values[index].evidence.contains(line)
      {
        findings.values[index].evidence.append(line)
      }
      return
    }
    sequence += 1
    var finding = FindingMaker.finding(rule: rule, prepared: prepared, evidence: evidence, origin: origin)
    finding.sequence = sequence
    findings[finding.fingerprint] = finding
    if let sink, !stopped {
      guard let shown = weighLive.map({ $0(finding) }) ?? finding else { return }
      if !sink.accept(shown) { stopped = true }
    }
  }

  /// Adds `count` repeats, the last at `lastLine`, to a recorded finding.
  func addRepeats(fingerprint: String, count: Int, lastLine: Int) {
    guard count > 0, var existing = findings[fingerprint] else { return }
    existing.count += count
    existing.lastLine = max(existing.lastLine, lastLine)
    findings[fingerprint] = existing
  }
}

/// Makes a finding of one hit as a ``Deduplicator`` of `catalog` and `identity` does (the rule's
/// lookup applied, the fingerprint computed): a value, so the threads that match parts of a file
/// make their hits' findings themselves.
struct FindingMaker: @unchecked Sendable {
  let catalog: RuleCatalog
  let identity: SourceIdentity

  func makeFinding(
    rule: Rule, captures hitCaptures: [String: String], evidence: [EvidenceLine], origin: Origin, predicted: Bool = false
  ) -> Finding {
    Self.finding(
      rule: rule, prepared: prepare(rule: rule, captures: hitCaptures, origin: origin), evidence: evidence, origin: origin,
      predicted: predicted)
  }

  /// A hit's captures with the rule's lookup applied, and its fingerprint.
  func prepare(rule: Rule, captures hitCaptures: [String: String], origin: Origin) -> PreparedFinding {
    var captures = hitCaptures
    if let lookup = rule.lookup, let key = captures[lookup.key] {
      captures.merge(catalog.lookupCaptures(lookup, key: key)) { old, _ in old }
    }
    let keyNames = rule.fingerprint ?? rule.captureNames.sorted()
    var parts = [rule.id]
    for name in keyNames.sorted() { parts.append("\(name)=\(captures[name] ?? "")") }
    parts.append(identityKey(origin))
    return PreparedFinding(fingerprint: StableHash.hex(parts), captures: captures)
  }

  /// The finding of a prepared hit (message, explanation and fixes empty).
  static func finding(rule: Rule, prepared: PreparedFinding, evidence: [EvidenceLine], origin: Origin, predicted: Bool = false) -> Finding {
    let firstLine = evidence.first?.line ?? 0
    var finding = Finding(
      rule: rule, source: origin, firstLine: firstLine, lastLine: evidence.last?.line ?? firstLine, count: 1,
      captures: prepared.captures, evidence: evidence, fingerprint: prepared.fingerprint, message: "", explanation: "",
      fixes: [], sequence: 0)
    finding.predicted = predicted
    return finding
  }

  private func identityKey(_ source: Origin) -> String {
    var key = [source.namespace ?? "", source.deploymentName ?? "", source.container ?? ""].joined(separator: "/")
    if identity == .byFile, source.pod == nil, source.namespace == nil { key += "@" + source.file }
    return key
  }
}

/// What a hit's finding is known by, worked out where the hit was found: its captures with the
/// rule's lookup applied, and its fingerprint.
struct PreparedFinding {
  var fingerprint: String
  var captures: [String: String]
}
