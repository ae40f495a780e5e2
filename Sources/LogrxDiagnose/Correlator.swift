import LogrxMatching
import LogrxVocabulary
import LogrxIngest
import LogrxRules

/// Links causes to the symptoms they explain and orders findings for reading.
///
/// A finding of rule A explains a finding of rule B when A's rule lists B in `explains` and
/// both concern the same pod (or either has no pod; with ``SourceIdentity/byFile``, only when
/// they come from the same file). The result lists root causes in stage
/// order (build, deploy, runtime, platform), then by first appearance, each followed by the
/// symptoms it explains; a symptom explained by several causes follows the first of them.
public enum Correlator {
  ///
  /// Linear in the findings and the links between them: symptoms are looked up by rule id,
  /// findings by fingerprint.
  public static func correlate(_ findings: [Finding], identity: SourceIdentity = .byPod) -> [Finding] {
    var all = findings
    var byRule: [String: [Int]] = [:]
    for index in all.indices { byRule[all[index].rule.id, default: []].append(index) }
    let owners = all.map { $0.source.pod.map(Origin.owner(ofPod:)) }
    for cause in all.indices where !all[cause].rule.explains.isEmpty {
      let symptoms = Set(all[cause].rule.explains).flatMap { byRule[$0] ?? [] }.sorted()
      for symptom in symptoms where cause != symptom {
        if let left = owners[cause], let right = owners[symptom], left != right { continue }
        // Files that name no pod are separate stories when each file is its own source.
        if identity == .byFile, all[cause].source.pod == nil || all[symptom].source.pod == nil,
          all[cause].source.file != all[symptom].source.file
        {
          continue
        }
        all[cause].explains.append(all[symptom].fingerprint)
        all[symptom].explainedBy.append(all[cause].fingerprint)
      }
    }
    // Each symptom list in the order the old pairwise loop gave: by index.
    var index: [String: Int] = [:]
    for position in all.indices { index[all[position].fingerprint] = index[all[position].fingerprint] ?? position }
    let roots = all.filter(\.isRootCause).sorted(by: order)
    var result: [Finding] = []
    result.reserveCapacity(all.count)
    var placed: Set<String> = []
    func place(_ finding: Finding) {
      guard placed.insert(finding.fingerprint).inserted else { return }
      result.append(finding)
      let symptoms = Set(finding.explains).compactMap { index[$0] }.sorted().map { all[$0] }
      for symptom in symptoms.sorted(by: order) { place(symptom) }
    }
    for root in roots { place(root) }
    // Findings only reachable through a cycle.
    for finding in all.sorted(by: order) where !placed.contains(finding.fingerprint) { place(finding) }
    return result
  }

  static func order(_ lhs: Finding, _ rhs: Finding) -> Bool {
    if lhs.rule.stage != rhs.rule.stage { return lhs.rule.stage < rhs.rule.stage }
    if lhs.rule.severity != rhs.rule.severity { return lhs.rule.severity > rhs.rule.severity }
    return lhs.sequence < rhs.sequence
  }

  static func samePod(_ lhs: Finding, _ rhs: Finding) -> Bool {
    guard let left = lhs.source.pod, let right = rhs.source.pod else { return true }
    return Origin.owner(ofPod: left) == Origin.owner(ofPod: right)
  }
}
