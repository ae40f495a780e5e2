import Foundation
import LogrxMatching
import LogrxVocabulary
import LogrxIngest
import LogrxRules
import LogrxDiagnose
import LogrxRecommend
import LogrxState

/// One JSON object per finding, then one `summary` object (`--format jsonl`; the schema of each
/// record type is in `Docs/schemas/`).
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
    let source: Origin
    let firstLine: Int
    let lastLine: Int
    let count: Int
    let captures: [String: String]
    let evidence: [EvidenceLine]
    let rootCause: Bool
    let explains: [String]
    let explainedBy: [String]
    let fix: [FixRecord]
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

    init(_ finding: Finding, history: FindingHistory?) {
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
      fix = finding.fixes.map(FixRecord.init)
      fingerprint = finding.fingerprint
      self.history = history.map(HistoryRecord.init)
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
    let source: Origin
    let fingerprint: String
    let history: HistoryRecord

    init(_ history: FindingHistory) {
      rule = history.rule
      severity = history.severity
      message = history.message
      source = Origin(file: history.file, namespace: history.namespace, pod: history.pod, container: history.container)
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
      if let data = try? encoder.encode(FindingRecord(finding, history: summary.history[finding.fingerprint])) { sink.write(String(decoding: data, as: UTF8.self) + "\n") }
    }
    for history in summary.resolved {
      if let data = try? encoder.encode(ResolvedRecord(history)) { sink.write(String(decoding: data, as: UTF8.self) + "\n") }
    }
    sink.write(summaryLine(findings, summary: summary))
  }

  /// The closing `summary` object, as a line (also what `watch` prints when the stream ends).
  public func summaryLine(_ findings: [Finding], summary: RunSummary) -> String {
    guard let data = try? Self.encoder().encode(Self.summaryRecord(findings, summary: summary)) else { return "" }
    return String(decoding: data, as: UTF8.self) + "\n"
  }

  static func summaryRecord(_ findings: [Finding], summary: RunSummary) -> SummaryRecord {
    let counts = summary.counts(findings)
    let stateful = summary.unchangedFiles != nil
    return SummaryRecord(
      findings: findings.count, rootCauses: counts.roots, errors: counts.errors, warnings: counts.warnings,
      infos: counts.infos, inputs: summary.inputs, lines: summary.lines, bytes: summary.bytes,
      diagnostics: summary.diagnostics.map(\.description), resolved: stateful ? summary.resolved.count : nil,
      unchangedFiles: summary.unchangedFiles)
  }

  /// One finding as a JSON line (for `watch --format jsonl`).
  public func line(for finding: Finding) -> String {
    guard let data = try? Self.encoder().encode(FindingRecord(finding, history: nil)) else { return "" }
    return String(decoding: data, as: UTF8.self) + "\n"
  }
}

/// A fix action as JSON Lines and SARIF write it: its kind and the fields that kind uses
/// (`file`, `mode` as `"0755"`, `set` as `KEY=VALUE` strings, `line`, `content`,
/// `unless_defined`, `regex`, `replacement`, `unless`, `run`, `why`).
struct FixRecord: Encodable {
  var kind: String
  var file: String?
  var mode: String?
  var set: [String]?
  var line: String?
  var content: String?
  var unlessDefined: String?
  var regex: String?
  var replacement: String?
  var unlessMatch: String?
  var run: String?
  var why: String?
  var tool: String?
  var files: [String]?

  enum CodingKeys: String, CodingKey {
    case kind, file, mode, set, line, content
    case unlessDefined = "unless_defined"
    case regex, replacement
    case unlessMatch = "unless"
    case run, why, tool, files
  }

  init(_ fix: ResolvedFix) {
    kind = fix.kind
    file = fix.file
    switch fix {
    case .env(_, let assignments): set = assignments.map { "\($0.key)=\($0.value)" }
    case .requirement(_, let package): line = package
    case .create(_, let mode, let content):
      self.mode = ResolvedFix.octal(mode)
      self.content = content
    case .ensureLine(_, let line): self.line = line
    case .pythonBlock(_, let name, let block):
      unlessDefined = name
      content = block
    case .replace(_, let regex, let replacement, let unless):
      self.regex = regex
      self.replacement = replacement
      unlessMatch = unless
    case .chmod(_, let mode): self.mode = ResolvedFix.octal(mode)
    case .command(let run, let why):
      self.run = run
      self.why = why
    case .codemod(let tool, let files):
      self.tool = tool
      self.files = files
    }
  }
}
