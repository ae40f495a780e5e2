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

    enum CodingKeys: String, CodingKey {
      case type, rule, title, severity, stage, message, source
      case firstLine = "first_line"
      case lastLine = "last_line"
      case count, captures, evidence
      case rootCause = "root_cause"
      case explains
      case explainedBy = "explained_by"
      case fix, fingerprint
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

    enum CodingKeys: String, CodingKey {
      case type, findings
      case rootCauses = "root_causes"
      case errors, warnings, infos, inputs, lines, bytes, diagnostics
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
    let counts = summary.counts(findings)
    let record = SummaryRecord(
      findings: findings.count, rootCauses: counts.roots, errors: counts.errors, warnings: counts.warnings,
      infos: counts.infos, inputs: summary.inputs, lines: summary.lines, bytes: summary.bytes,
      diagnostics: summary.diagnostics.map(\.description))
    if let data = try? encoder.encode(record) { sink.write(String(decoding: data, as: UTF8.self) + "\n") }
  }

  /// One finding as a JSON line (for `watch --format jsonl`).
  public func line(for finding: Finding) -> String {
    guard let data = try? Self.encoder().encode(FindingRecord(finding)) else { return "" }
    return String(decoding: data, as: UTF8.self) + "\n"
  }
}
