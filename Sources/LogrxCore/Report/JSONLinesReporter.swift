import Foundation

/// One JSON object per finding, then one `summary` object (the schema is in the README).
///
/// Keys are sorted so that the output is stable; every line is a complete JSON object.
public struct JSONLinesReporter: Reporter {
  public init() {}

  struct FindingRecord: Encodable {
    let type = "finding"
    let rule: String
    let title: String
    let severity: String
    let stage: String
    let message: String
    let source: FindingSource
    let firstLine: Int
    let lastLine: Int
    let count: Int
    let captures: [String: String]
    let evidence: [EvidenceLine]
    let rootCause: Bool
    let explains: [String]
    let explainedBy: [String]
    let fix: [ResolvedFix]
    let fingerprint: String
    let history: HistoryRecord?

    enum CodingKeys: String, CodingKey {
      case type, rule, title, severity, stage, message, source
      case firstLine = "first_line"
      case lastLine = "last_line"
      case count, captures, evidence
      case rootCause = "root_cause"
      case explains
      case explainedBy = "explained_by"
      case fix, fingerprint, history
    }

    init(_ finding: Finding) {
      rule = finding.rule.id
      title = finding.rule.title
      severity = finding.rule.severity.rawValue
      stage = finding.rule.stage.rawValue
      message = finding.message
      source = finding.source
      firstLine = finding.firstLine
      lastLine = finding.lastLine
      count = finding.count
      // Captures with a dot or from lookups are derived; keep what the regex captured and the lookup.
      captures = finding.captures
      evidence = finding.evidence
      rootCause = finding.isRootCause
      explains = finding.explains
      explainedBy = finding.explainedBy
      fix = finding.fixes
      fingerprint = finding.fingerprint
      history = finding.history.map(HistoryRecord.init)
    }
  }

  /// A finding's history in the scan state (ISO 8601 times, UTC).
  struct HistoryRecord: Encodable {
    let status: String
    let firstSeen: String
    let lastSeen: String
    let count: Int
    let resolvedAt: String?

    enum CodingKeys: String, CodingKey {
      case status
      case firstSeen = "first_seen"
      case lastSeen = "last_seen"
      case count
      case resolvedAt = "resolved_at"
    }

    init(_ history: FindingHistory) {
      status = history.status.rawValue
      firstSeen = Self.iso(history.firstSeen)
      lastSeen = Self.iso(history.lastSeen)
      count = history.count
      resolvedAt = history.resolvedAt.map(Self.iso)
    }

    static func iso(_ date: Date) -> String {
      let formatter = ISO8601DateFormatter()
      formatter.formatOptions = [.withInternetDateTime]
      return formatter.string(from: date)
    }
  }

  /// A finding of an earlier run that did not come back (`scan --state`).
  struct ResolvedRecord: Encodable {
    let type = "resolved"
    let rule: String
    let severity: String
    let message: String
    let source: FindingSource
    let fingerprint: String
    let history: HistoryRecord

    init(_ history: FindingHistory) {
      rule = history.rule
      severity = history.severity
      message = history.message
      source = FindingSource(file: history.file, namespace: history.namespace, pod: history.pod, container: history.container)
      fingerprint = history.fingerprint
      self.history = HistoryRecord(history)
    }
  }

  struct SummaryRecord: Encodable {
    let type = "summary"
    let findings: Int
    let rootCauses: Int
    let errors: Int
    let warnings: Int
    let infos: Int
    let inputs: [String]
    let lines: Int
    let bytes: Int
    let diagnostics: [String]
    /// With a scan state.
    let resolved: Int?
    let unchangedFiles: Int?

    enum CodingKeys: String, CodingKey {
      case type, findings
      case rootCauses = "root_causes"
      case errors, warnings, infos, inputs, lines, bytes, diagnostics, resolved
      case unchangedFiles = "unchanged_files"
    }
  }

  static func encoder() -> JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return encoder
  }

  public func live(_ finding: Finding, to sink: TextSink) {}

  public func report(_ findings: [Finding], summary: RunSummary, to sink: TextSink) {
    let encoder = Self.encoder()
    for finding in findings {
      if let data = try? encoder.encode(FindingRecord(finding)) { sink.write(String(decoding: data, as: UTF8.self) + "\n") }
    }
    for history in summary.resolved {
      if let data = try? encoder.encode(ResolvedRecord(history)) { sink.write(String(decoding: data, as: UTF8.self) + "\n") }
    }
    let counts = summary.counts(findings)
    let stateful = summary.unchangedFiles != nil
    let record = SummaryRecord(
      findings: findings.count, rootCauses: counts.roots, errors: counts.errors, warnings: counts.warnings,
      infos: counts.infos, inputs: summary.inputs, lines: summary.lines, bytes: summary.bytes,
      diagnostics: summary.diagnostics.map(\.description), resolved: stateful ? summary.resolved.count : nil,
      unchangedFiles: summary.unchangedFiles)
    if let data = try? encoder.encode(record) { sink.write(String(decoding: data, as: UTF8.self) + "\n") }
  }

  /// One finding as a JSON line (for `watch --format jsonl`).
  public func line(for finding: Finding) -> String {
    guard let data = try? Self.encoder().encode(FindingRecord(finding)) else { return "" }
    return String(decoding: data, as: UTF8.self) + "\n"
  }
}
